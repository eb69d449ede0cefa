package dev.sluice.relay.smtp.out;

import java.nio.ByteBuffer;

/**
 * What the MAIL command must declare about a message text.
 *
 * @param eightBit some byte is above 127 (RFC 6152 {@code BODY=8BITMIME})
 * @param eightBitHeaders some header byte is above 127: internationalised headers need SMTPUTF8
 *     (RFC 6532)
 */
record BodyTraits(boolean eightBit, boolean eightBitHeaders) {
  /** Scans the body from its position; the header block ends at the first empty line. */
  static BodyTraits of(ByteBuffer body) {
    boolean eightBit = false;
    boolean eightBitHeaders = false;
    boolean inHeaders = true;
    boolean lineStart = true;
    for (int i = body.position(); i < body.limit(); i++) {
      byte b = body.get(i);
      if (b < 0) {
        eightBit = true;
        eightBitHeaders |= inHeaders;
        if (!inHeaders) {
          break;
        }
      }
      if (b == '\n') {
        if (lineStart) {
          inHeaders = false;
        }
        lineStart = true;
      } else if (b != '\r') {
        lineStart = false;
      }
    }
    return new BodyTraits(eightBit, eightBitHeaders);
  }
}
