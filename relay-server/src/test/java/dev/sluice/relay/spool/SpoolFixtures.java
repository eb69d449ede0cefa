package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Envelopes, bodies and spools for the spool tests. */
final class SpoolFixtures {
  static final long PLENTY_OF_SPACE = Long.MAX_VALUE / 2;

  private SpoolFixtures() {}

  static SpoolEnvelope envelope(int n) {
    return new SpoolEnvelope(
        "sender" + n + "@example.com",
        List.of(
            new SpoolRecipient(
                "rcpt" + n + "@example.org", "SUCCESS,FAILURE", "rfc822;a@b.example"),
            SpoolRecipient.of("other" + n + "@example.net")),
        "tenant-a",
        "127.0.0.1:40000",
        "client.example.com",
        "TLSv1.3 TLS_AES_128_GCM_SHA256",
        "app-user",
        "env-" + n,
        "HDRS",
        Instant.parse("2025-01-02T03:04:05.123456789Z"),
        body(n).remaining(),
        Map.of("X-Message-Type", "transactional", "X-Route", "pool-" + n));
  }

  static ByteBuffer body(int n) {
    return ByteBuffer.wrap(
        ("Subject: message " + n + "\r\n\r\nHello number " + n + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  static ByteBuffer body(int n, int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + (n + i) % 26);
    }
    return ByteBuffer.wrap(bytes);
  }

  static SegmentSpool open(Path dir) throws IOException {
    return SegmentSpool.open(dir, SpoolOptions.defaults().withMinFreeBytes(0), Clock.systemUTC());
  }

  static SegmentSpool open(Path dir, SpoolOptions options) throws IOException {
    return SegmentSpool.open(dir, options, Clock.systemUTC());
  }

  static SegmentSpool open(Path dir, SpoolOptions options, LongSupplier usableSpace)
      throws IOException {
    return SegmentSpool.open(dir, options, Clock.systemUTC(), usableSpace, Fsync.SYSTEM);
  }

  /** Lets no fsync fail: the value for {@link #failingAfter} in normal operation. */
  static final int NO_FAULT = Integer.MAX_VALUE;

  /**
   * An fsync that lets {@code allowed} more calls through, then fails every call (the health
   * probe's too) until the test sets {@code allowed} back to {@link #NO_FAULT}.
   */
  static Fsync.Call failingAfter(AtomicInteger allowed) {
    return channel -> {
      if (allowed.getAndUpdate(n -> n == NO_FAULT ? n : n - 1) <= 0) {
        throw new IOException("No space left on device (injected)");
      }
      channel.force(false);
    };
  }

  /** The records of a journal file with their positions, as recovery would read them. */
  static List<Located> records(ByteBuffer journal) {
    List<Located> out = new ArrayList<>();
    JournalScanner.scan(
        journal,
        new JournalScanner.Visitor() {
          @Override
          public void record(int position, JournalRecord record) {
            int length = journal.getInt(position);
            out.add(new Located(position, Frame.HEADER_BYTES + length, record));
          }

          @Override
          public void damaged(int position, ByteBuffer bytes, String why, MessageId idHint) {
            throw new AssertionError("unexpected damage at " + position + ": " + why);
          }
        });
    return out;
  }

  /** A record and where it sits. */
  record Located(int position, int length, JournalRecord record) {
    MessageId storedId() {
      return ((JournalRecord.Store) record).entry().id();
    }

    boolean isStore() {
      return record instanceof JournalRecord.Store;
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
