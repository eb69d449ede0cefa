package dev.sluice.relay.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A growable buffer of frames: {@link #begin} a frame, put its payload, {@link #end} it to fill in
 * length and CRC. Not thread-safe: owned by one writer.
 */
final class RecordBuffer {
  private ByteBuffer buf;
  private int frameStart = -1;

  RecordBuffer(int initialCapacity) {
    buf = ByteBuffer.allocate(initialCapacity);
  }

  void begin(byte type) {
    if (frameStart >= 0) {
      throw new IllegalStateException("frame already open");
    }
    ensure(Frame.HEADER_BYTES);
    frameStart = buf.position();
    buf.putInt(0).putInt(0).put(type);
  }

  void end() {
    int payloadStart = frameStart + Frame.HEADER_BYTES;
    int length = buf.position() - payloadStart;
    if (length > Frame.MAX_RECORD_PAYLOAD) {
      throw new IllegalArgumentException("record of " + length + " bytes is too large");
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), frameStart + 8, length + 1);
    buf.putInt(frameStart, length).putInt(frameStart + 4, (int) crc.getValue());
    frameStart = -1;
  }

  /** Drops an open frame, e.g. when encoding it failed. */
  void cancel() {
    if (frameStart >= 0) {
      buf.position(frameStart);
      frameStart = -1;
    }
  }

  RecordBuffer putByte(byte value) {
    ensure(1);
    buf.put(value);
    return this;
  }

  RecordBuffer putInt(int value) {
    ensure(4);
    buf.putInt(value);
    return this;
  }

  RecordBuffer putLong(long value) {
    ensure(8);
    buf.putLong(value);
    return this;
  }

  /** A string as u32 length (-1 for null) and UTF-8 bytes. */
  RecordBuffer putString(String value) {
    if (value == null) {
      return putInt(-1);
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    putInt(bytes.length);
    ensure(bytes.length);
    buf.put(bytes);
    return this;
  }

  int size() {
    return buf.position();
  }

  boolean isEmpty() {
    return buf.position() == 0;
  }

  /** The frames written so far, as a buffer ready to be written out. */
  ByteBuffer frames() {
    if (frameStart >= 0) {
      throw new IllegalStateException("frame still open");
    }
    return buf.duplicate().flip();
  }

  void clear() {
    buf.clear();
    frameStart = -1;
  }

  private void ensure(int more) {
    if (buf.remaining() < more) {
      int needed = buf.position() + more;
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, buf.capacity() * 2));
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }
}
