package dev.sluice.relay.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable (RFC 2045 §6.7) for the parts of a DSN that hold 8-bit text, so that the DSN
 * stays 7-bit and reaches a host without 8BITMIME: it has the null sender, so a refusal would lose
 * it. Pure.
 */
final class QuotedPrintable {
  private static final int WIDTH = 76;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private QuotedPrintable() {}

  /** Encodes CRLF-separated text: each CRLF stays a line break, everything else is escaped. */
  static byte[] encode(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + text.length / 8 + 16);
    int column = 0;
    for (int i = 0; i < text.length; i++) {
      int b = text[i] & 0xff;
      if (b == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
        out.write('\r');
        out.write('\n');
        i++;
        column = 0;
        continue;
      }
      boolean lineEnd =
          i + 1 == text.length
              || (text[i + 1] == '\r' && i + 2 < text.length && text[i + 2] == '\n');
      // Rule 3: a space or tab at the end of a line is escaped, since transports strip it.
      boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !lineEnd);
      int width = literal ? 1 : 3;
      // Rule 5: a soft line break keeps every encoded line within 76 characters.
      if (column + width > (lineEnd ? WIDTH : WIDTH - 1)) {
        out.write('=');
        out.write('\r');
        out.write('\n');
        column = 0;
      }
      if (literal) {
        out.write(b);
      } else {
        out.write('=');
        out.write(HEX[b >> 4]);
        out.write(HEX[b & 0x0f]);
      }
      column += width;
    }
    return out.toByteArray();
  }
}
