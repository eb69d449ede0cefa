package dev.sluice.relay.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The framing shared by journal records and body records: {@code [u32 payload length][u32 CRC32C of
 * type and payload][u8 type][payload]}, big-endian. A frame is valid only when its length is
 * plausible for its type, it fits in the file and its CRC matches; anything else is a torn write or
 * damage.
 */
final class Frame {
  static final int HEADER_BYTES = 9;
  static final int MAX_RECORD_PAYLOAD = 16 << 20;
  static final int MAX_BODY_PAYLOAD = Integer.MAX_VALUE - 64;

  static final byte STORE = 1;
  static final byte UPDATE = 2;
  static final byte REMOVE = 3;
  static final byte QUARANTINE = 4;
  static final byte CHECKPOINT = 5;
  static final byte NOOP = 6;
  static final byte BODY = 16;

  private Frame() {}

  static boolean isJournalType(byte type) {
    return type >= STORE && type <= NOOP;
  }

  /** The CRC32C of {@code type} followed by the remaining bytes of {@code payload}. */
  static int crc(byte type, ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(type);
    crc.update(payload.duplicate());
    return (int) crc.getValue();
  }

  /**
   * The payload length of the valid journal frame at {@code pos} of {@code file}, or -1 when there
   * is no valid journal frame there.
   */
  static int journalPayloadAt(ByteBuffer file, int pos) {
    if (pos < 0 || file.limit() - pos < HEADER_BYTES) {
      return -1;
    }
    int length = file.getInt(pos);
    byte type = file.get(pos + 8);
    if (length < 0 || length > MAX_RECORD_PAYLOAD || !isJournalType(type)) {
      return -1;
    }
    if (length > file.limit() - pos - HEADER_BYTES) {
      return -1;
    }
    ByteBuffer payload =
        file.duplicate().position(pos + HEADER_BYTES).limit(pos + HEADER_BYTES + length);
    return crc(type, payload) == file.getInt(pos + 4) ? length : -1;
  }

  /** The payload of the frame at {@code pos}, whose length was validated. */
  static ByteBuffer payload(ByteBuffer file, int pos, int length) {
    return file.duplicate().position(pos + HEADER_BYTES).limit(pos + HEADER_BYTES + length).slice();
  }
}
