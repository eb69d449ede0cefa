package dev.sluice.relay.spool.bench;

import dev.sluice.relay.spool.SegmentSpool;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolOptions;
import dev.sluice.relay.spool.SpoolRecipient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable-store throughput, run by hand (not a test): N session threads each store a message and
 * wait for it to be durable before the next, as SMTP sessions wait for their 250. Compares the
 * segment spool (group commit) with one file per message and an fsync each.
 *
 * <pre>
 * java -cp relay-server/target/classes:relay-server/target/test-classes \
 *     dev.sluice.relay.spool.bench.SpoolBenchmark DIR [MESSAGES=20000] [THREADS=20] [BYTES=2048] \
 *     [COMMIT_DELAY_MICROS=0] [both|spool|files]
 * </pre>
 *
 * Run the two alternatives in separate JVMs with a {@code sync} between them on a shared machine:
 * the writeback of one run otherwise slows down the next.
 */
public final class SpoolBenchmark {
  private SpoolBenchmark() {}

  /** One way of making a message durable. */
  private interface Store {
    void store(int n, ByteBuffer body) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int bytes = args.length > 3 ? Integer.parseInt(args[3]) : 2048;
    Duration delay = Duration.ofNanos(1000L * (args.length > 4 ? Integer.parseInt(args[4]) : 0));
    String which = args.length > 5 ? args[5] : "both";
    Files.createDirectories(dir);
    System.out.printf(
        "%d messages of %d bytes from %d threads, %d CPUs, commit delay %s, in %s%n",
        messages, bytes, threads, Runtime.getRuntime().availableProcessors(), delay, dir);

    if (!which.equals("files")) {
      // Warm-up of the JIT, then the measured run.
      segmentSpool(dir.resolve("warmup"), messages / 10, threads, bytes, delay);
      System.out.println(
          "segment spool (group commit): "
              + segmentSpool(dir.resolve("segment"), messages, threads, bytes, delay));
    }
    if (!which.equals("spool")) {
      System.out.println(
          "one file per message + fsync: "
              + filePerMessage(dir.resolve("files"), messages, threads, bytes));
    }
  }

  private static String segmentSpool(Path dir, int messages, int threads, int bytes, Duration delay)
      throws Exception {
    SpoolOptions options = SpoolOptions.defaults().withMinFreeBytes(0).withMaxCommitDelay(delay);
    try (SegmentSpool spool = SegmentSpool.open(dir, options, Clock.systemUTC())) {
      long fsyncsBefore = spool.fsyncCount();
      Result r = run(messages, threads, bytes, (n, body) -> spool.store(envelope(n), body).join());
      return r + String.format(", %d fsyncs", spool.fsyncCount() - fsyncsBefore);
    }
  }

  private static String filePerMessage(Path dir, int messages, int threads, int bytes)
      throws Exception {
    Files.createDirectories(dir);
    AtomicLong fsyncs = new AtomicLong();
    Result r =
        run(
            messages,
            threads,
            bytes,
            (n, body) -> {
              byte[] head = envelopeText(n).getBytes(StandardCharsets.UTF_8);
              try (FileChannel out =
                  FileChannel.open(
                      dir.resolve("msg-" + n),
                      StandardOpenOption.CREATE_NEW,
                      StandardOpenOption.WRITE)) {
                ByteBuffer[] parts = {ByteBuffer.wrap(head), body.duplicate()};
                while (parts[1].hasRemaining()) {
                  out.write(parts);
                }
                out.force(true);
                fsyncs.incrementAndGet();
              }
            });
    return r + String.format(", %d fsyncs", fsyncs.get());
  }

  private static Result run(int messages, int threads, int bytes, Store store) throws Exception {
    int perThread = messages / threads;
    long[][] latencies = new long[threads][perThread];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try {
      List<Future<?>> sessions = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        sessions.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    int n = thread * perThread + i;
                    long began = System.nanoTime();
                    store.store(n, body(n, bytes));
                    latencies[thread][i] = System.nanoTime() - began;
                  }
                  return null;
                }));
      }
      for (Future<?> s : sessions) {
        s.get();
      }
    } finally {
      pool.shutdown();
    }
    long elapsed = System.nanoTime() - start;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(
        perThread * threads, elapsed, all[all.length / 2], all[(int) (all.length * 0.99)]);
  }

  private record Result(int messages, long nanos, long p50, long p99) {
    @Override
    public String toString() {
      return String.format(
          "%d msg/s (%d messages in %d ms), latency p50 %.2f ms p99 %.2f ms",
          (long) (messages / (nanos / 1e9)), messages, nanos / 1_000_000, p50 / 1e6, p99 / 1e6);
    }
  }

  private static SpoolEnvelope envelope(int n) {
    return new SpoolEnvelope(
        "sender" + n + "@example.com",
        List.of(SpoolRecipient.of("rcpt" + n + "@example.org")),
        "bench",
        "127.0.0.1:40000",
        "bench.example.com",
        null,
        null,
        null,
        null,
        Instant.now(),
        0,
        Map.of());
  }

  private static String envelopeText(int n) {
    return "sender" + n + "@example.com\nrcpt" + n + "@example.org\nbench\n127.0.0.1:40000\n\n";
  }

  private static ByteBuffer body(int n, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + (n + i) % 26);
    }
    return ByteBuffer.wrap(b);
  }
}
