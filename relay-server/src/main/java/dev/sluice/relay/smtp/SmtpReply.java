package dev.sluice.relay.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a code, an enhanced status code (RFC 3463) and one or more lines of text. Replies
 * are built here, never by concatenating status lines in a handler.
 *
 * @param code the three-digit reply code (RFC 5321 §4.2)
 * @param status the enhanced status code such as {@code 2.0.0}, or empty for replies that carry
 *     none (the greeting, EHLO)
 * @param lines the text, one entry per reply line; never contains CR or LF
 */
public record SmtpReply(int code, String status, List<String> lines) {
  public static final SmtpReply OK = of(250, "2.0.0", "Ok");
  public static final SmtpReply BYE = of(221, "2.0.0", "Bye");
  public static final SmtpReply START_DATA =
      new SmtpReply(354, "", List.of("End data with <CR><LF>.<CR><LF>"));
  public static final SmtpReply READY_FOR_TLS = of(220, "2.0.0", "Ready to start TLS");
  public static final SmtpReply BAD_SEQUENCE = of(503, "5.5.1", "Bad sequence of commands");
  public static final SmtpReply UNRECOGNIZED = of(500, "5.5.2", "Command not recognized");

  /** RFC 5321 §4.5.3.1.4: a command line over the limit is a syntax error (RFC 3463 X.5.2). */
  public static final SmtpReply LINE_TOO_LONG = of(500, "5.5.2", "Line too long");

  /** RFC 4954 §4: a response in the AUTH exchange over the limit ends the exchange. */
  public static final SmtpReply AUTH_LINE_TOO_LONG =
      of(500, "5.5.6", "Authentication exchange line is too long");

  /**
   * Commands are ASCII, or UTF-8 under SMTPUTF8 (RFC 6531 §3.3); other bytes are a syntax error.
   */
  public static final SmtpReply NOT_UTF8 =
      of(500, "5.5.2", "Command holds bytes that are not UTF-8");

  public static final SmtpReply BARE_NEWLINE =
      of(500, "5.5.2", "Bare CR or LF in command; SMTP lines end with CRLF");
  public static final SmtpReply SHUTTING_DOWN =
      of(421, "4.3.2", "Service shutting down, try again later");
  public static final SmtpReply TIMEOUT = of(421, "4.4.2", "Timeout, closing connection");
  public static final SmtpReply TOO_MANY_ERRORS =
      of(421, "4.7.0", "Too many errors, closing connection");

  public SmtpReply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    Objects.requireNonNull(status, "status");
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line");
    }
    for (String line : lines) {
      if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("reply text must not contain CR or LF");
      }
    }
  }

  /** A one-line reply with an enhanced status code. */
  public static SmtpReply of(int code, String status, String text) {
    return new SmtpReply(code, status, List.of(text));
  }

  /** A reply without enhanced status (greeting, EHLO), one entry per line. */
  public static SmtpReply lines(int code, List<String> lines) {
    return new SmtpReply(code, "", lines);
  }

  public boolean isPositive() {
    return code < 400;
  }

  /** 4xx: try again later. */
  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  /**
   * The reply as it goes on the wire: {@code 250-…CRLF} continuation lines, {@code 250 …CRLF} last.
   */
  public String wire() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
      if (!status.isEmpty()) {
        out.append(status).append(' ');
      }
      out.append(lines.get(i)).append("\r\n");
    }
    return out.toString();
  }

  /**
   * The wire form in 7-bit ASCII (RFC 5321 §4.2: reply text is ASCII); any other character, such as
   * one echoed from a client's SMTPUTF8 address, is sent as '?'.
   */
  public byte[] wireBytes() {
    return wire().getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return wire().stripTrailing().replace("\r\n", " | ");
  }
}
