package dev.sluice.relay.spool;

import java.time.Instant;
import java.util.Objects;

/**
 * A queue id: 12 characters of Crockford base32 (digits and upper-case letters without I, L, O, U)
 * encoding 42 bits of epoch milliseconds and an 18-bit sequence. Ids sort by creation time as plain
 * strings, are unique across restarts of one spool, are safe as file names and print as they are in
 * {@code 250 2.0.0 Ok: queued as <id>}.
 */
public record MessageId(String value) implements Comparable<MessageId> {
  static final int LENGTH = 12;
  static final int SEQUENCE_BITS = 18;
  static final long MAX_MILLIS = (1L << 42) - 1;
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  public MessageId {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a queue id: '" + value + "'");
    }
  }

  /** Whether {@code text} is a well-formed queue id. */
  public static boolean isValid(CharSequence text) {
    if (text.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The id of {@code millis} and {@code sequence} (18 bits). */
  static MessageId of(long millis, int sequence) {
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("time out of range for a queue id: " + millis);
    }
    long bits = (millis << SEQUENCE_BITS) | (sequence & ((1 << SEQUENCE_BITS) - 1));
    char[] out = new char[LENGTH];
    for (int i = LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (bits & 31));
      bits >>>= 5;
    }
    return new MessageId(new String(out));
  }

  /** The creation time encoded in the id. */
  public Instant createdAt() {
    return Instant.ofEpochMilli(bits() >>> SEQUENCE_BITS);
  }

  private long bits() {
    long bits = 0;
    for (int i = 0; i < LENGTH; i++) {
      bits = (bits << 5) | ALPHABET.indexOf(value.charAt(i));
    }
    return bits;
  }

  @Override
  public int compareTo(MessageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
