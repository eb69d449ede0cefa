package dev.sluice.relay.spool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Times the recovery of a large queue; run by hand, not a test:
 *
 * <pre>
 * java -cp relay-server/target/classes:relay-server/target/test-classes \
 *     dev.sluice.relay.spool.SpoolRecoveryTiming write|recover|both DIR [MESSAGES] [BODY_BYTES]
 * </pre>
 *
 * {@code write} fills DIR, {@code recover} opens it and reports the time; between the two, {@code
 * echo 3 > /proc/sys/vm/drop_caches} measures a start from a cold page cache.
 */
public final class SpoolRecoveryTiming {
  private SpoolRecoveryTiming() {}

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int bodyBytes = args.length > 3 ? Integer.parseInt(args[3]) : 2048;
    SpoolOptions options = SpoolOptions.defaults().withMinFreeBytes(0);
    if (mode.equals("write") || mode.equals("both")) {
      long start = System.nanoTime();
      try (SegmentSpool spool = SegmentSpool.open(dir, options, Clock.systemUTC())) {
        List<CompletableFuture<SpoolEntry>> pending = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
          pending.add(spool.store(SpoolFixtures.envelope(i), SpoolFixtures.body(i, bodyBytes)));
          if (pending.size() == 5_000) {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
            pending.clear();
          }
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
      }
      System.out.printf(
          "wrote %d messages of %d bytes in %d ms%n",
          messages, bodyBytes, (System.nanoTime() - start) / 1_000_000);
    }
    if (mode.equals("recover") || mode.equals("both")) {
      long journalBytes = 0;
      for (Path journal : SpoolFiles.journals(dir).values()) {
        journalBytes += Files.size(journal);
      }
      long heapBefore = usedHeap();
      long start = System.nanoTime();
      int live;
      long heapIndex;
      try (SegmentSpool spool = SegmentSpool.open(dir, options, Clock.systemUTC())) {
        long elapsed = System.nanoTime() - start;
        live = spool.entries().size();
        heapIndex = usedHeap() - heapBefore;
        System.out.printf(
            "recovered %d messages from a %.1f MiB journal in %d ms%n",
            live, journalBytes / 1048576.0, elapsed / 1_000_000);
      }
      System.out.printf(
          "index in memory: about %d MiB, %d bytes per message%n",
          heapIndex >> 20, live == 0 ? 0 : heapIndex / live);
    }
  }
}
