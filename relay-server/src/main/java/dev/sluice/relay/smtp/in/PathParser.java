package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.routing.net.IpLiterals;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code FROM:<path> [params]} and {@code TO:<path> [params]} (RFC 5321 §4.1.2 and §3.3, RFC
 * 6531 for SMTPUTF8). Pure and thread-safe. Strict where laxity is dangerous: no CR, LF or NUL
 * anywhere, angle brackets required, lengths of §4.5.3.1 enforced.
 */
public final class PathParser {
  static final int MAX_LOCAL_PART = 64;
  static final int MAX_DOMAIN = 255;
  static final int MAX_PATH = 256;
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private PathParser() {}

  /** Parses the argument of MAIL ({@code keyword} "FROM") or RCPT ("TO"). */
  public static PathArgument parse(String argument, String keyword) {
    String prefix = keyword + ":";
    if (argument.length() < prefix.length()
        || !argument.substring(0, prefix.length()).equalsIgnoreCase(prefix)) {
      return invalid(
          "501",
          "5.5.4",
          "Syntax: " + (keyword.equals("FROM") ? "MAIL FROM:<address>" : "RCPT TO:<address>"));
    }
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return invalid("501", "5.5.2", "Control characters are not allowed in an address");
      }
    }
    String rest = argument.substring(prefix.length());
    if (rest.startsWith(" ")) {
      rest = rest.substring(1); // common client laxity: "MAIL FROM: <a@b>"
    }
    if (!rest.startsWith("<")) {
      return invalid("501", "5.1.7", "The address must be in angle brackets: <user@example.com>");
    }
    int close = closingBracket(rest);
    if (close < 0) {
      return invalid("501", "5.1.7", "Unterminated address: missing '>'");
    }
    String path = rest.substring(1, close);
    Map<String, String> params = new LinkedHashMap<>();
    String paramText = rest.substring(close + 1);
    if (!paramText.isEmpty() && !paramText.startsWith(" ")) {
      return invalid("501", "5.5.4", "Parameters must follow the address after a space");
    }
    for (String p : paramText.strip().split(" +")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
      if (!key.matches("[A-Z0-9][A-Z0-9-]*") || params.containsKey(key)) {
        return invalid("501", "5.5.4", "Bad or repeated parameter: " + printable(p));
      }
      params.put(key, eq < 0 ? "" : p.substring(eq + 1));
    }
    if (path.length() > MAX_PATH) {
      return invalid("501", "5.1.7", "Address too long");
    }
    if (path.isEmpty()) {
      return new PathArgument.Valid("", params);
    }
    // RFC 5321 §4.1.2: an obsolete source route (@a,@b:) may precede the mailbox; it is ignored.
    if (path.startsWith("@")) {
      int colon = path.indexOf(':');
      if (colon < 0) {
        return invalid("501", "5.1.7", "Bad source route");
      }
      path = path.substring(colon + 1);
    }
    // Non-ASCII is judged by the session: RCPT inherits SMTPUTF8 from the MAIL of its transaction.
    String problem = mailboxProblem(path);
    if (problem != null) {
      // RFC 3463: 5.1.7 is a bad sender address, 5.1.3 a bad destination address.
      return invalid("501", keyword.equals("FROM") ? "5.1.7" : "5.1.3", problem);
    }
    return new PathArgument.Valid(path, params);
  }

  /** The index of the '>' that closes the path, skipping quoted strings. */
  private static int closingBracket(String s) {
    boolean quoted = false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '>' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** Why {@code mailbox} is not a valid Mailbox, or null when it is. */
  static String mailboxProblem(String mailbox) {
    int at = mailbox.lastIndexOf('@');
    if (at <= 0 || at == mailbox.length() - 1) {
      return "Address must look like user@domain";
    }
    String local = mailbox.substring(0, at);
    String domain = mailbox.substring(at + 1);
    if (local.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
      return "Local part longer than 64 octets";
    }
    if (domain.length() > MAX_DOMAIN) {
      return "Domain longer than 255 octets";
    }
    if (!(local.startsWith("\"") ? isQuotedString(local) : isDotString(local))) {
      return "Bad local part: " + printable(local);
    }
    if (!(domain.startsWith("[") ? isAddressLiteral(domain) : isDomain(domain))) {
      return "Bad domain: " + printable(domain);
    }
    return null;
  }

  private static boolean isDotString(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '.'
              || (c < 128 && (Character.isLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0))
              || (c > 127 && !Character.isISOControl(c) && !Character.isWhitespace(c));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isQuotedString(String s) {
    if (s.length() < 2 || !s.endsWith("\"")) {
      return false;
    }
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
        if (i >= s.length() - 1 || Character.isISOControl(s.charAt(i))) {
          return false;
        }
      } else if (c == '"' || Character.isISOControl(c)) { // C0, DEL and C1, as in a dot-string
        return false;
      }
    }
    return true;
  }

  private static boolean isDomain(String d) {
    if (d.isEmpty() || d.endsWith(".")) {
      return false;
    }
    for (String label : d.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      if (!label.codePoints().allMatch(PathParser::isLabelCharacter)) {
        return false;
      }
    }
    return true;
  }

  /**
   * LDH in ASCII; beyond it, letters, digits and the combining marks that U-labels in many scripts
   * need (Devanagari vowel signs, Thai, Arabic: RFC 5892 lets categories Mn and Mc in).
   */
  private static boolean isLabelCharacter(int c) {
    if (c < 128) {
      return Character.isLetterOrDigit(c) || c == '-';
    }
    int type = Character.getType(c);
    return Character.isLetterOrDigit(c)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean isAddressLiteral(String d) {
    if (!d.endsWith("]")) {
      return false;
    }
    String inner = d.substring(1, d.length() - 1);
    // RFC 5321 §4.1.3: ASCII digits, hex, '.' and ':' only; IpLiterals alone would strip
    // whitespace and control characters around the address and read non-ASCII digits.
    if (!inner
        .chars()
        .allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == ':'))) {
      return false;
    }
    if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
      return IpLiterals.parse(inner.substring(5)).map(b -> b.length == 16).orElse(false);
    }
    return IpLiterals.parse(inner).map(b -> b.length == 4).orElse(false);
  }

  /** Text safe to echo back in a reply: non-printable characters become '?'. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(s.length(), 80); i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c); // C0, DEL and C1
    }
    return out.toString();
  }

  private static PathArgument invalid(String code, String status, String text) {
    return new PathArgument.Invalid(SmtpReply.of(Integer.parseInt(code), status, text));
  }
}
