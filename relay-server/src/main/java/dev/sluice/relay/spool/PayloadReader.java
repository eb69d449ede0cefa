package dev.sluice.relay.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads the fields of one payload, refusing anything that does not fit. Not thread-safe. */
final class PayloadReader {
  private final ByteBuffer in;

  PayloadReader(ByteBuffer payload) {
    this.in = payload.duplicate();
  }

  byte getByte() throws MalformedRecordException {
    need(1);
    return in.get();
  }

  int getInt() throws MalformedRecordException {
    need(4);
    return in.getInt();
  }

  long getLong() throws MalformedRecordException {
    need(8);
    return in.getLong();
  }

  int getCount(int minBytesEach) throws MalformedRecordException {
    int count = getInt();
    if (count < 0 || (long) count * minBytesEach > in.remaining()) {
      throw new MalformedRecordException("implausible count " + count);
    }
    return count;
  }

  String getString() throws MalformedRecordException {
    int length = getInt();
    if (length == -1) {
      return null;
    }
    if (length < 0) {
      throw new MalformedRecordException("negative string length " + length);
    }
    need(length);
    // The frame CRC already vouches for these bytes: no strict UTF-8 decoder needed.
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  String getRequiredString(String field) throws MalformedRecordException {
    String value = getString();
    if (value == null) {
      throw new MalformedRecordException(field + " is missing");
    }
    return value;
  }

  MessageId getId() throws MalformedRecordException {
    String value = getRequiredString("id");
    if (!MessageId.isValid(value)) {
      throw new MalformedRecordException("not a queue id");
    }
    return new MessageId(value);
  }

  /** The bytes left, without copying. */
  ByteBuffer rest() {
    ByteBuffer rest = in.slice();
    in.position(in.limit());
    return rest;
  }

  void expectEnd() throws MalformedRecordException {
    if (in.hasRemaining()) {
      throw new MalformedRecordException(in.remaining() + " unexpected trailing bytes");
    }
  }

  private void need(int bytes) throws MalformedRecordException {
    if (in.remaining() < bytes) {
      throw new MalformedRecordException("payload ends early");
    }
  }
}
