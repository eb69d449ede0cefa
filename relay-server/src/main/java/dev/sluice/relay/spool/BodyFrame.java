package dev.sluice.relay.spool;

import java.nio.ByteBuffer;

/**
 * A body record ready to be appended: its header and id ({@code head}, {@link
 * RecordCodec#BODY_PREFIX_BYTES} bytes) and the body itself, not copied.
 */
record BodyFrame(MessageId id, ByteBuffer head, ByteBuffer body) {
  long totalBytes() {
    return (long) head.remaining() + body.remaining();
  }

  int bodyLength() {
    return body.remaining();
  }
}
