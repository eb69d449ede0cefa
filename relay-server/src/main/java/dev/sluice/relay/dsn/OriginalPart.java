package dev.sluice.relay.dsn;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The third part of a DSN: the original message or its header block.
 *
 * <p>Which one (RFC 3461 §4.3, RFC 3464 §2.1; a DSN may always return less than RET asks):
 *
 * <ul>
 *   <li>a report without any failed recipient (delay, success): the headers only, whatever RET
 *       says, as §4.3 asks;
 *   <li>{@code RET=HDRS}: the headers only;
 *   <li>{@code RET=FULL} or no RET: the whole message when it is at most {@value #FULL_LIMIT}
 *       octets (256 KiB, like Postfix's {@code bounce_size_limit}) and its body is 7-bit, else the
 *       headers only. A bounce of a large message does not cost its size again, and 8-bit text is
 *       never returned: a DSN carrying it would be refused by a host without 8BITMIME, and with its
 *       null sender it would be lost.
 * </ul>
 *
 * <p>Returned headers with 8-bit (UTF-8, RFC 6532) bytes make the part {@code message/global} or
 * {@code message/global-headers} (RFC 6532 §3.7, RFC 6533 §6.3) instead of {@code message/rfc822}
 * or {@code text/rfc822-headers}, encoded quoted-printable, which those types allow, so that the
 * DSN stays 7-bit.
 *
 * @param full whether {@link #content} is the whole message
 * @param global whether {@link #content} holds 8-bit bytes (only its headers can)
 * @param content the returned bytes, before any transfer encoding
 */
record OriginalPart(boolean full, boolean global, byte[] content) {
  static final int FULL_LIMIT = 256 * 1024;

  static OriginalPart of(DsnReport report) {
    ByteBuffer original = report.original().duplicate();
    int headers = headerLength(original);
    boolean anyFailed =
        report.recipients().stream().anyMatch(r -> r.action() == RecipientStatus.Action.FAILED);
    String ret = report.ret() == null ? null : report.ret().toUpperCase(Locale.ROOT);
    boolean full =
        anyFailed
            && !"HDRS".equals(ret)
            && original.remaining() <= FULL_LIMIT
            && !eightBit(original, original.position() + headers, original.limit());
    byte[] bytes = new byte[full ? original.remaining() : headers];
    original.get(bytes);
    return new OriginalPart(full, eightBit(ByteBuffer.wrap(bytes), 0, bytes.length), bytes);
  }

  String contentType() {
    if (global) {
      return full ? "message/global" : "message/global-headers";
    }
    return full ? "message/rfc822" : "text/rfc822-headers";
  }

  String description() {
    return full ? "Undelivered Message" : "Message Headers";
  }

  String transferEncoding() {
    return global ? "quoted-printable" : "7bit";
  }

  /** The part body as written, after the transfer encoding. */
  byte[] encoded() {
    return global ? QuotedPrintable.encode(content) : content;
  }

  private static boolean eightBit(ByteBuffer bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes.get(i) < 0) {
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
