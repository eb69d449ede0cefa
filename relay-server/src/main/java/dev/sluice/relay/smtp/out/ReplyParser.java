package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads server reply lines into {@link SmtpReply} values (RFC 5321 §4.2). Pure functions: the Netty
 * decoder frames the lines and calls these.
 */
final class ReplyParser {
  /** Longest reply line accepted, in bytes without CRLF (RFC 5321 §4.5.3.1.5 says 512). */
  static final int MAX_LINE = 4096;

  /** Most lines in one multi-line reply. */
  static final int MAX_LINES = 100;

  private static final Pattern LINE =
      Pattern.compile("([2-5][0-9][0-9])([ -]|$)(.*)", Pattern.DOTALL);

  // RFC 3463 §2: class "." subject "." detail; the class repeats the reply's first digit.
  private static final Pattern STATUS =
      Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?: +|$)");

  private ReplyParser() {}

  /**
   * Whether {@code line} ends its reply ({@code "250 ok"}) rather than continuing it ({@code
   * "250-ok"}).
   *
   * @throws MalformedReplyException if the line is not a reply line
   */
  static boolean isLast(String line) throws MalformedReplyException {
    Matcher m = match(line);
    return !m.group(2).equals("-");
  }

  /**
   * One reply from its lines, the last one without a hyphen. The enhanced status code is taken from
   * the text when the first line has one whose class matches the code; it is then stripped from
   * every line that repeats it.
   *
   * @throws MalformedReplyException if a line is garbage, the codes differ, a continuation marker
   *     is misplaced, or there are more than {@link #MAX_LINES} lines
   */
  static SmtpReply parse(List<String> lines) throws MalformedReplyException {
    if (lines.isEmpty()) {
      throw new MalformedReplyException("empty reply");
    }
    if (lines.size() > MAX_LINES) {
      throw new MalformedReplyException("reply longer than " + MAX_LINES + " lines");
    }
    String code = null;
    List<String> texts = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = match(lines.get(i));
      if (code == null) {
        code = m.group(1);
      } else if (!code.equals(m.group(1))) {
        throw new MalformedReplyException(
            "reply code changes within a reply: " + code + " then " + m.group(1));
      }
      boolean last = i == lines.size() - 1;
      if (last == m.group(2).equals("-")) {
        throw new MalformedReplyException(
            last ? "reply ends with a continuation line" : "reply line after its last line");
      }
      texts.add(clean(m.group(3)));
    }
    String status = status(code, texts.get(0));
    if (!status.isEmpty()) {
      for (int i = 0; i < texts.size(); i++) {
        texts.set(i, stripStatus(texts.get(i), status));
      }
    }
    return new SmtpReply(Integer.parseInt(code), status, texts);
  }

  private static Matcher match(String line) throws MalformedReplyException {
    if (line.length() > MAX_LINE) {
      throw new MalformedReplyException("reply line longer than " + MAX_LINE + " bytes");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new MalformedReplyException("control character in reply line");
      }
    }
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      throw new MalformedReplyException("not an SMTP reply line: " + printable(line));
    }
    return m;
  }

  private static String status(String code, String text) {
    Matcher m = STATUS.matcher(text);
    if (m.lookingAt() && m.group(1).charAt(0) == code.charAt(0)) {
      return m.group(1) + "." + m.group(2) + "." + m.group(3);
    }
    return "";
  }

  private static String stripStatus(String text, String status) {
    Matcher m = STATUS.matcher(text);
    if (m.lookingAt() && status.equals(m.group(1) + "." + m.group(2) + "." + m.group(3))) {
      return text.substring(m.end());
    }
    return text;
  }

  /** Other control characters (ESC, BEL…) would reach logs and DSNs: shown as '?'. */
  private static String clean(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        if (out == null) {
          out = new StringBuilder(text.substring(0, i));
        }
        out.append('?');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** The first 80 characters, other control characters shown as '?', for error messages. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 80); i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return text.length() > 80 ? out + "…" : out.toString();
  }
}
