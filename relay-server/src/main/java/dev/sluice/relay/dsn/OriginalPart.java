package dev.sluice.relay.dsn;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The third part of a DSN: the original message or its header block.
 *
 * <p>Which one (RFC 3461 §4.3, RFC 3464 §2.1):
 *
 * <ul>
 *   <li>a report without any failed recipient (delay, success): the headers only, whatever RET
 *       says, as §4.3 asks;
 *   <li>{@code RET=HDRS}: the headers only, as {@code text/rfc822-headers};
 *   <li>{@code RET=FULL}: the whole message, as {@code message/rfc822};
 *   <li>no RET: the whole message when it is at most {@value #FULL_LIMIT} octets (256 KiB), the
 *       headers only when larger, so that a bounce of a large message does not cost its size again.
 * </ul>
 *
 * @param full whether {@link #content} is the whole message
 * @param content the bytes of the part body
 */
record OriginalPart(boolean full, byte[] content) {
  static final int FULL_LIMIT = 256 * 1024;

  static OriginalPart of(DsnReport report) {
    ByteBuffer original = report.original().duplicate();
    boolean anyFailed =
        report.recipients().stream().anyMatch(r -> r.action() == RecipientStatus.Action.FAILED);
    String ret = report.ret() == null ? null : report.ret().toUpperCase(Locale.ROOT);
    boolean full =
        anyFailed && ("FULL".equals(ret) || (ret == null && original.remaining() <= FULL_LIMIT));
    byte[] bytes = new byte[full ? original.remaining() : headerLength(original)];
    original.get(bytes);
    return new OriginalPart(full, bytes);
  }

  String contentType() {
    return full ? "message/rfc822" : "text/rfc822-headers";
  }

  String description() {
    return full ? "Undelivered Message" : "Message Headers";
  }

  boolean eightBit() {
    for (byte b : content) {
      if (b < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The length of the header block including the CRLF that ends its last field, excluding the empty
   * line; the whole buffer when there is no empty line.
   */
  static int headerLength(ByteBuffer message) {
    int start = message.position();
    int end = message.limit();
    if (end - start >= 2 && message.get(start) == '\r' && message.get(start + 1) == '\n') {
      return 0;
    }
    for (int i = start; i + 3 < end; i++) {
      if (message.get(i) == '\r'
          && message.get(i + 1) == '\n'
          && message.get(i + 2) == '\r'
          && message.get(i + 3) == '\n') {
        return i + 2 - start;
      }
    }
    return end - start;
  }
}
