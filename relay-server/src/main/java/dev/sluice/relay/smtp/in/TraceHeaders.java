package dev.sluice.relay.smtp.in;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The headers added to a message on acceptance: a {@code Received:} trace header first (RFC 5321
 * §4.4, with the RFC 3848 protocol keyword and TLS details), and {@code Message-ID:} and {@code
 * Date:} when the message lacks them (RFC 5322 §3.6 asks for both). Pure.
 */
public final class TraceHeaders {
  /** A domain (letters, digits, hyphens, dots) or an address literal, as EHLO should give. */
  private static final Pattern HELO_NAME =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[A-Za-z0-9.:]+\\]");

  private static final DateTimeFormatter RFC5322 =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

  private TraceHeaders() {}

  /** The body with the headers added; {@code now} dates the Received and any added Date header. */
  public static byte[] apply(
      byte[] body, Transaction t, String hostname, ZonedDateTime now, boolean addMissing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
    write(out, received(t, hostname, now));
    if (addMissing) {
      int headerEnd = headerEnd(body);
      if (!hasHeader(body, headerEnd, "message-id")) {
        write(out, "Message-ID: <" + uniqueLocalPart(now) + "@" + hostname + ">\r\n");
      }
      if (!hasHeader(body, headerEnd, "date")) {
        write(out, "Date: " + RFC5322.format(now) + "\r\n");
      }
    }
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  /**
   * Time plus 96 random bits: unique enough for a Message-ID (RFC 5322 §3.6.4), without a
   * SecureRandom read per message.
   */
  private static String uniqueLocalPart(ZonedDateTime now) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toString(now.toInstant().toEpochMilli(), 36)
        + "."
        + Long.toUnsignedString(random.nextLong(), 36)
        + Integer.toUnsignedString(random.nextInt(), 36);
  }

  static String received(Transaction t, String hostname, ZonedDateTime now) {
    ClientInfo c = t.client();
    StringBuilder h = new StringBuilder("Received: from ");
    if (HELO_NAME.matcher(c.helo()).matches()) {
      h.append(c.helo()).append(" (");
    } else {
      // RFC 5321 §4.4 wants a domain or address literal here; what the client said goes in the
      // comment, where "(", ")" and "\" are quoted and cannot end it early.
      h.append("unknown (").append(comment(c.helo())).append(' ');
    }
    h.append(c.addressLiteral()).append(")\r\n");
    h.append("\tby ").append(hostname).append(" (Sluice) with ").append(protocol(t));
    c.tls().ifPresent(tls -> h.append("\r\n\t(").append(clean(tls)).append(')'));
    if (t.recipients().size() == 1) {
      h.append("\r\n\tfor <").append(clean(t.recipients().get(0).address())).append('>');
    }
    h.append("; ").append(RFC5322.format(now)).append("\r\n");
    return h.toString();
  }

  /**
   * The RFC 3848 / RFC 6531 §3.7.3 keyword of the IANA "Mail Transmission Types" registry: {@code
   * SMTP} after HELO; {@code ESMTP} or {@code UTF8SMTP}, then {@code S} for TLS and {@code A} for
   * AUTH.
   */
  private static String protocol(Transaction t) {
    ClientInfo c = t.client();
    if (!c.esmtp()) {
      return "SMTP";
    }
    return (t.mailParameters().containsKey("SMTPUTF8") ? "UTF8SMTP" : "ESMTP")
        + (c.tls().isPresent() ? "S" : "")
        + (c.authUser().isPresent() ? "A" : "");
  }

  /** Text for a comment: control characters become "?", and "(", ")", "\" a quoted-pair. */
  private static String comment(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (char ch : clean(s).toCharArray()) {
      if (ch == '(' || ch == ')' || ch == '\\') {
        out.append('\\');
      }
      out.append(ch);
    }
    return out.toString();
  }

  /** Offset of the blank line that ends the header section, or the body length if none. */
  static int headerEnd(byte[] body) {
    if (body.length >= 2 && body[0] == '\r' && body[1] == '\n') {
      return 0;
    }
    for (int i = 0; i + 3 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n' && body[i + 2] == '\r' && body[i + 3] == '\n') {
        return i + 2;
      }
    }
    return body.length;
  }

  /** Whether a header field named {@code lowerName} starts a line in the header section. */
  static boolean hasHeader(byte[] body, int headerEnd, String lowerName) {
    int start = 0;
    while (start < headerEnd) {
      int n = lowerName.length();
      if (start + n < headerEnd
          && body[start + n] == ':'
          && new String(body, start, n, StandardCharsets.ISO_8859_1)
              .toLowerCase(Locale.ROOT)
              .equals(lowerName)) {
        return true;
      }
      int next = start;
      while (next < headerEnd && body[next] != '\n') {
        next++;
      }
      start = next + 1;
    }
    return false;
  }

  /** Text from the client never carries CR, LF or control characters into our header. */
  private static String clean(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      out.append(ch < 32 || ch == 127 ? '?' : ch);
    }
    return out.toString();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
