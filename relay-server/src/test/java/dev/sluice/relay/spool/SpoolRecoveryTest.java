package dev.sluice.relay.spool;

import static dev.sluice.relay.spool.SpoolFixtures.body;
import static dev.sluice.relay.spool.SpoolFixtures.bytes;
import static dev.sluice.relay.spool.SpoolFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolRecoveryTest {
  @TempDir Path dir;

  @Test
  void tornTailRecordIsCutAndEarlierRecordsKept() throws Exception {
    List<SpoolEntry> stored = storeFive();
    Path journal = onlyJournal();
    byte[] file = Files.readAllBytes(journal);
    SpoolFixtures.Located last = lastStore(file);
    long intact = last.position() + last.length();
    // Half of a record again at the end (past the padding): a write cut short by a crash.
    byte[] torn = new byte[last.length() / 2];
    System.arraycopy(file, last.position(), torn, 0, torn.length);
    Files.write(journal, torn, StandardOpenOption.APPEND);

    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(spool.recoveryReport()).singleElement().asString().contains("torn tail");
      assertThat(Files.size(journal)).isEqualTo(intact);
      SpoolEntry after = spool.store(envelope(9), body(9)).get(10, TimeUnit.SECONDS);
      stored.add(after);
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void damagedMiddleRecordQuarantinesOnlyThatMessage() throws Exception {
    List<SpoolEntry> stored = storeFive();
    Path journal = onlyJournal();
    byte[] file = Files.readAllBytes(journal);
    List<SpoolFixtures.Located> stores =
        SpoolFixtures.records(ByteBuffer.wrap(file)).stream()
            .filter(SpoolFixtures.Located::isStore)
            .collect(Collectors.toList());
    SpoolFixtures.Located victim = stores.get(2);
    // One bit flipped near the end of the record (its body location), past the id.
    flipByte(journal, victim.position() + victim.length() - 6);
    SpoolEntry damaged = stored.remove(2);

    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(spool.recoveryReport())
          .singleElement()
          .asString()
          .contains("quarantined message " + damaged.id());
      Path aside = dir.resolve("quarantine").resolve(damaged.id().value());
      assertThat(aside.resolve("reason.txt")).content().contains("damaged record");
      assertThat(Files.readAllBytes(aside.resolve("body.eml"))).isEqualTo(bytes(body(2)));
      assertThat(aside.resolve("record-1.bin")).exists();
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(spool.recoveryReport()).isEmpty();
      for (SpoolEntry e : stored) {
        assertThat(spool.readBody(e.id()).remaining()).isEqualTo(e.bodyLength());
      }
    }
  }

  @Test
  void damagedUpdateRecordQuarantinesTheMessageWithItsBody() throws Exception {
    List<SpoolEntry> stored = storeFive();
    SpoolEntry touched = stored.get(1);
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      spool.update(touched.withState(java.util.Map.of("attempts", "1"))).get(10, TimeUnit.SECONDS);
      spool.store(envelope(7), body(7)).get(10, TimeUnit.SECONDS);
    }
    Path journal = onlyJournal();
    List<SpoolFixtures.Located> records =
        SpoolFixtures.records(ByteBuffer.wrap(Files.readAllBytes(journal)));
    SpoolFixtures.Located update =
        records.stream()
            .filter(r -> r.record() instanceof JournalRecord.Update)
            .findFirst()
            .orElseThrow();
    flipByte(journal, update.position() + update.length() - 2);

    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).hasSize(5).noneMatch(e -> e.id().equals(touched.id()));
      Path aside = dir.resolve("quarantine").resolve(touched.id().value());
      assertThat(Files.readAllBytes(aside.resolve("body.eml"))).isEqualTo(bytes(body(1)));
      assertThat(aside.resolve("envelope.txt")).content().contains("sender1@example.com");
    }
  }

  @Test
  void damagedRecordOfNoLegibleMessageIsQuarantinedAndUnusedSegmentsAreKeptAside()
      throws Exception {
    SpoolOptions small = SpoolOptions.defaults().withMinFreeBytes(0).withSegmentBytes(4096);
    List<SpoolEntry> stored = new ArrayList<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir, small)) {
      for (int i = 0; i < 4; i++) {
        stored.add(spool.store(envelope(i), body(i, 3000)).get(10, TimeUnit.SECONDS));
      }
    }
    Path journal = onlyJournal();
    List<SpoolFixtures.Located> stores =
        SpoolFixtures.records(ByteBuffer.wrap(Files.readAllBytes(journal))).stream()
            .filter(SpoolFixtures.Located::isStore)
            .collect(Collectors.toList());
    SpoolFixtures.Located victim = stores.get(1);
    // The length of the id field: the record no longer says whose it is.
    flipByte(journal, victim.position() + Frame.HEADER_BYTES);
    SpoolEntry lost = stored.remove(1);

    try (SegmentSpool spool = SpoolFixtures.open(dir, small)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(spool.recoveryReport())
          .anyMatch(l -> l.contains("no legible message"))
          .anyMatch(l -> l.contains("unreferenced-segments"));
      Path aside = dir.resolve("quarantine").resolve("journal-000001-unreferenced-segments");
      assertThat(aside.resolve(SpoolFiles.segment(dir, lost.bodySegment()).getFileName())).exists();
    }
  }

  @Test
  void corruptedBodyIsDetectedOnReadAndQuarantined() throws Exception {
    List<SpoolEntry> stored = storeFive();
    SpoolEntry victim = stored.get(3);
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      flipByte(SpoolFiles.segment(dir, victim.bodySegment()), victim.bodyOffset() + 3);

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.readBody(victim.id()))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("quarantine");

      assertThat(spool.entries()).hasSize(4).doesNotContain(victim);
      assertThat(spool.recoveryReport()).singleElement().asString().contains(victim.id().value());
      Path aside = dir.resolve("quarantine").resolve(victim.id().value());
      assertThat(aside.resolve("reason.txt")).content().contains("CRC");
      assertThat(aside.resolve("body.damaged")).exists();
      assertThat(spool.readBody(stored.get(4).id()).remaining())
          .isEqualTo(stored.get(4).bodyLength());
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).hasSize(4).doesNotContain(victim);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void missingBodySegmentQuarantinesItsMessagesAtOpen() throws Exception {
    List<SpoolEntry> stored = storeFive();
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      spool.store(envelope(8), body(8)).get(10, TimeUnit.SECONDS);
    }
    Files.delete(SpoolFiles.segment(dir, stored.get(0).bodySegment()));

    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).hasSize(1);
      assertThat(spool.recoveryReport()).hasSize(5).allMatch(l -> l.contains("missing"));
    }
  }

  @Test
  void hundredThousandQueuedMessagesComeBackAfterReopen() throws Exception {
    int threads = 4;
    int perThread = 25_000;
    ConcurrentLinkedQueue<CompletableFuture<SpoolEntry>> futures = new ConcurrentLinkedQueue<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          producers.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      int n = thread * perThread + i;
                      futures.add(spool.store(envelope(n), body(n, 200)));
                    }
                  }));
        }
        for (Future<?> p : producers) {
          p.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
    }
    Set<MessageId> acknowledged =
        futures.stream().map(f -> f.join().id()).collect(Collectors.toSet());
    assertThat(acknowledged).hasSize(threads * perThread);

    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries().stream().map(SpoolEntry::id).collect(Collectors.toSet()))
          .isEqualTo(acknowledged);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void aSegmentDroppedAtStartIsNotHeldOpen() throws Exception {
    SpoolOptions small = SpoolOptions.defaults().withMinFreeBytes(0).withSegmentBytes(4096);
    SpoolEntry first;
    try (SegmentSpool spool = SpoolFixtures.open(dir, small)) {
      first = spool.store(envelope(1), body(1, 3000)).get(10, TimeUnit.SECONDS);
      SpoolEntry second = spool.store(envelope(2), body(2, 3000)).get(10, TimeUnit.SECONDS);
      assertThat(second.bodySegment()).isGreaterThan(first.bodySegment());
    }
    Path segment = SpoolFiles.segment(dir, first.bodySegment());
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(first.bodyOffset() + first.bodyLength() - 1); // its body is short a byte
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir, small)) {
      assertThat(spool.recoveryReport())
          .anyMatch(line -> line.contains("quarantined message " + first.id()));
      assertThat(segment).doesNotExist();
      // Recovery read the segment to salvage the body; its descriptor must not outlive it.
      assertThat(openDeletedFiles()).isEmpty();
    }
  }

  /** This process's descriptors of deleted files under the spool directory. */
  private List<String> openDeletedFiles() throws Exception {
    List<String> held = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(dir.toString()) && target.endsWith("(deleted)")) {
            held.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor of the listing itself, or one closed since
        }
      }
    }
    return held;
  }

  private List<SpoolEntry> storeFive() throws Exception {
    List<SpoolEntry> stored = new ArrayList<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      for (int i = 0; i < 5; i++) {
        stored.add(spool.store(envelope(i), body(i)).get(10, TimeUnit.SECONDS));
      }
    }
    return stored;
  }

  private Path onlyJournal() throws Exception {
    assertThat(SpoolFiles.journals(dir)).hasSize(1);
    return SpoolFiles.journals(dir).firstEntry().getValue();
  }

  private static SpoolFixtures.Located lastStore(byte[] file) {
    List<SpoolFixtures.Located> records = SpoolFixtures.records(ByteBuffer.wrap(file));
    return records.get(records.size() - 1);
  }

  private static void flipByte(Path file, long position) throws Exception {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
      channel.write(one, position);
    }
  }
}
