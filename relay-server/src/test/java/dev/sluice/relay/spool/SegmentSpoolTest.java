package dev.sluice.relay.spool;

import static dev.sluice.relay.spool.SpoolFixtures.body;
import static dev.sluice.relay.spool.SpoolFixtures.bytes;
import static dev.sluice.relay.spool.SpoolFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.relay.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentSpoolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void storedMessageReadsBackAndIsGoneAfterRemove() throws Exception {
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      SpoolEntry entry = spool.store(envelope(1), body(1)).get(10, TimeUnit.SECONDS);

      assertThat(entry.envelope()).isEqualTo(envelope(1));
      assertThat(bytes(spool.readBody(entry.id()))).isEqualTo(bytes(body(1)));
      assertThat(spool.entries()).containsExactly(entry);

      spool.remove(entry.id()).get(10, TimeUnit.SECONDS);

      assertThat(spool.entries()).isEmpty();
      assertThatThrownBy(() -> spool.readBody(entry.id())).isInstanceOf(SpoolException.class);
    }
  }

  @Test
  void storeDoesNotMoveTheCallersBuffer() throws Exception {
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      var body = body(2);
      int position = body.position();
      spool.store(envelope(2), body).get(10, TimeUnit.SECONDS);
      assertThat(body.position()).isEqualTo(position);
    }
  }

  @Test
  void everyEnvelopeFieldAndTheStateSurviveReopen() throws Exception {
    SpoolEnvelope unusual =
        new SpoolEnvelope(
            "",
            List.of(new SpoolRecipient("用户@例子.广告", null, null)),
            null,
            "[2001:db8::1]:25",
            "héllo",
            null,
            null,
            null,
            null,
            java.time.Instant.EPOCH,
            0,
            Map.of());
    SpoolEntry stored;
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      stored = spool.store(unusual, java.nio.ByteBuffer.allocate(0)).get(10, TimeUnit.SECONDS);
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactly(stored);
      assertThat(spool.readBody(stored.id()).remaining()).isZero();
    }
  }

  @Test
  void updateSurvivesReopen() throws Exception {
    SpoolEntry updated;
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      SpoolEntry entry = spool.store(envelope(1), body(1)).get(10, TimeUnit.SECONDS);
      SpoolEnvelope fewerRecipients =
          new SpoolEnvelope(
              entry.envelope().sender(),
              entry.envelope().recipients().subList(0, 1),
              entry.envelope().tenant(),
              entry.envelope().clientAddress(),
              entry.envelope().helo(),
              entry.envelope().tls(),
              entry.envelope().authUser(),
              entry.envelope().envid(),
              entry.envelope().ret(),
              entry.envelope().receivedAt(),
              entry.envelope().size(),
              entry.envelope().routingHeaders());
      updated =
          entry.with(fewerRecipients, Map.of("attempts", "2", "next", "2025-01-02T04:00:00Z"));
      spool.update(updated).get(10, TimeUnit.SECONDS);
      assertThat(spool.entries()).containsExactly(updated);
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactly(updated);
      assertThat(bytes(spool.readBody(updated.id()))).isEqualTo(bytes(body(1)));
    }
  }

  @Test
  void updateOfAMessageThatIsNotLiveFails() throws Exception {
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      SpoolEntry entry = spool.store(envelope(1), body(1)).get(10, TimeUnit.SECONDS);
      spool.remove(entry.id()).get(10, TimeUnit.SECONDS);

      assertThat(spool.update(entry.withState(Map.of("attempts", "1"))))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SpoolException.class);
    }
  }

  @Test
  void removedMessagesStayRemovedAfterReopen() throws Exception {
    List<SpoolEntry> kept = new ArrayList<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      for (int i = 0; i < 10; i++) {
        SpoolEntry entry = spool.store(envelope(i), body(i)).get(10, TimeUnit.SECONDS);
        if (i % 2 == 0) {
          spool.remove(entry.id()).get(10, TimeUnit.SECONDS);
        } else {
          kept.add(entry);
        }
      }
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(kept);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void concurrentStoresFrom16ThreadsAreAllDurableWithFarFewerFsyncsThanMessages() throws Exception {
    int threads = 16;
    int perThread = 100;
    int messages = threads * perThread;
    Set<MessageId> acknowledged = ConcurrentHashMap.newKeySet();
    long fsyncs;
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      long before = spool.fsyncCount();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> sessions = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          sessions.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      int n = thread * perThread + i;
                      acknowledged.add(spool.store(envelope(n), body(n, 2048)).join().id());
                    }
                    return null;
                  }));
        }
        for (Future<?> session : sessions) {
          session.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      fsyncs = spool.fsyncCount() - before;
    }
    assertThat(acknowledged).hasSize(messages);
    // Two fsyncs per batch (body segment, journal): a batch of one message each would be 2N.
    assertThat(fsyncs).isLessThan(messages / 2);
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries().stream().map(SpoolEntry::id).collect(Collectors.toSet()))
          .isEqualTo(acknowledged);
    }
  }

  @Test
  void bodySegmentIsDeletedOnceAllItsMessagesAreRemoved() throws Exception {
    SpoolOptions smallSegments = SpoolOptions.defaults().withMinFreeBytes(0).withSegmentBytes(4096);
    try (SegmentSpool spool = SpoolFixtures.open(dir, smallSegments)) {
      List<SpoolEntry> stored = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        stored.add(spool.store(envelope(i), body(i, 1000)).get(10, TimeUnit.SECONDS));
      }
      long first = stored.get(0).bodySegment();
      List<SpoolEntry> inFirst =
          stored.stream().filter(e -> e.bodySegment() == first).collect(Collectors.toList());
      assertThat(inFirst).hasSizeBetween(2, 4);
      assertThat(stored.get(11).bodySegment()).isGreaterThan(first);

      for (SpoolEntry e : inFirst.subList(0, inFirst.size() - 1)) {
        spool.remove(e.id()).get(10, TimeUnit.SECONDS);
      }
      assertThat(SpoolFiles.segment(dir, first)).exists();

      spool.remove(inFirst.get(inFirst.size() - 1).id()).get(10, TimeUnit.SECONDS);

      assertThat(SpoolFiles.segment(dir, first)).doesNotExist();
      assertThat(SpoolFiles.segment(dir, stored.get(11).bodySegment())).exists();
      for (int i = inFirst.size(); i < stored.size(); i++) {
        assertThat(bytes(spool.readBody(stored.get(i).id()))).isEqualTo(bytes(body(i, 1000)));
      }
    }
  }

  /**
   * Sessions store messages while deliveries read and remove them, as a relay under load does, with
   * segments of two or three bodies: batches mix STOREs and REMOVEs across segment boundaries, and
   * no live message may ever lose its body.
   */
  @Test
  void storesAndRemovesFromManyThreadsNeverLoseALiveBody() throws Exception {
    // A commit delay gathers the threads' next writes into the same batch.
    SpoolOptions smallSegments =
        SpoolOptions.defaults()
            .withMinFreeBytes(0)
            .withSegmentBytes(4096)
            .withMaxCommitDelay(Duration.ofMillis(1));
    // More deliveries than sessions: they keep up, so segments empty while still being filled.
    int sessions = 2;
    int deliveries = 4;
    int perSession = 1000;
    BlockingQueue<MessageId> stored = new LinkedBlockingQueue<>();
    AtomicInteger removed = new AtomicInteger();
    try (SegmentSpool spool = SpoolFixtures.open(dir, smallSegments)) {
      ExecutorService pool = Executors.newFixedThreadPool(sessions + deliveries);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < sessions; t++) {
          int session = t;
          work.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perSession; i++) {
                      int n = session * perSession + i;
                      stored.add(spool.store(envelope(n), body(n, 1000 + n % 800)).join().id());
                    }
                    return null;
                  }));
        }
        for (int t = 0; t < deliveries; t++) {
          work.add(
              pool.submit(
                  () -> {
                    while (removed.get() < sessions * perSession) {
                      MessageId id = stored.poll(10, TimeUnit.MILLISECONDS);
                      if (id != null) {
                        assertThat(spool.readBody(id).remaining()).isPositive();
                        spool.remove(id).join();
                        removed.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : work) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(removed).hasValue(sessions * perSession);
      assertThat(spool.quarantined()).isZero();
      assertThat(spool.entries()).isEmpty();
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir, smallSegments)) {
      assertThat(spool.recoveryReport()).isEmpty();
      assertThat(spool.entries()).isEmpty();
    }
  }

  /**
   * One batch removes the last message of the current segment, stores one more into it, then fills
   * it so that the next store seals it: the segment is not empty and must stay. (Found under load:
   * the segment was deleted, and the stored message quarantined with "body segment missing".)
   */
  @Test
  void aSegmentRefilledInTheBatchThatEmptiedItIsKept() throws Exception {
    SpoolOptions smallSegments = SpoolOptions.defaults().withMinFreeBytes(0).withSegmentBytes(4096);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger blockNext = new AtomicInteger();
    Fsync.Call blocking =
        channel -> {
          if (blockNext.getAndSet(0) == 1) {
            blocked.countDown();
            Await.until("the test to queue the next batch", () -> release.getCount() == 0);
          }
          channel.force(false);
        };
    SpoolEntry refill;
    SpoolEntry sealing;
    try (SegmentSpool spool =
        SegmentSpool.open(
            dir, smallSegments, Clock.systemUTC(), () -> SpoolFixtures.PLENTY_OF_SPACE, blocking)) {
      SpoolEntry only = spool.store(envelope(1), body(1, 1000)).get(10, TimeUnit.SECONDS);

      // The commit thread stops inside a batch (the update's journal fsync) ...
      blockNext.set(1);
      CompletableFuture<Void> update = spool.update(only);
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      // ... so that these three queue up and are committed together, in this order.
      CompletableFuture<Void> remove = spool.remove(only.id());
      CompletableFuture<SpoolEntry> intoSameSegment = spool.store(envelope(2), body(2, 1000));
      CompletableFuture<SpoolEntry> intoNextSegment = spool.store(envelope(3), body(3, 3000));
      release.countDown();
      update.get(10, TimeUnit.SECONDS);
      remove.get(10, TimeUnit.SECONDS);
      refill = intoSameSegment.get(10, TimeUnit.SECONDS);
      sealing = intoNextSegment.get(10, TimeUnit.SECONDS);

      assertThat(refill.bodySegment()).isEqualTo(only.bodySegment());
      assertThat(sealing.bodySegment()).isGreaterThan(refill.bodySegment());
      assertThat(SpoolFiles.segment(dir, refill.bodySegment())).exists();
      assertThat(bytes(spool.readBody(refill.id()))).isEqualTo(bytes(body(2, 1000)));
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir, smallSegments)) {
      assertThat(spool.entries())
          .extracting(SpoolEntry::id)
          .containsExactlyInAnyOrder(refill.id(), sealing.id());
      assertThat(spool.recoveryReport()).isEmpty();
      assertThat(bytes(spool.readBody(refill.id()))).isEqualTo(bytes(body(2, 1000)));
    }
  }

  @Test
  void removesAloneAreWrittenWithoutAnFsyncAndTheNextStoresFsyncCoversThem() throws Exception {
    List<SpoolEntry> stored = new ArrayList<>();
    SpoolEntry kept;
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      for (int i = 0; i < 5; i++) {
        stored.add(spool.store(envelope(i), body(i)).get(10, TimeUnit.SECONDS));
      }
      long before = spool.fsyncCount();
      for (SpoolEntry e : stored) {
        spool.remove(e.id()).get(10, TimeUnit.SECONDS);
      }
      assertThat(spool.fsyncCount()).isEqualTo(before);
      assertThat(spool.entries()).isEmpty();

      kept = spool.store(envelope(9), body(9)).get(10, TimeUnit.SECONDS);
      // The body segment and the journal, whose fdatasync takes the REMOVEs along.
      assertThat(spool.fsyncCount()).isEqualTo(before + 2);
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactly(kept);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void removesNotYetWrittenAtCloseAreWrittenBeforeTheSpoolCloses() throws Exception {
    List<SpoolEntry> stored = new ArrayList<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      for (int i = 0; i < 5; i++) {
        stored.add(spool.store(envelope(i), body(i)).get(10, TimeUnit.SECONDS));
      }
      // Not waited for: each may still be waiting for its batch when close() begins.
      stored.subList(0, 4).forEach(e -> spool.remove(e.id()));
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactly(stored.get(4));
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void appendsInsideTheZeroPaddingLeaveFileSizesAloneAndRecoveryReportsNothing() throws Exception {
    long chunk = ZeroPadding.chunkFor(SpoolOptions.DEFAULT_SEGMENT_BYTES);
    List<SpoolEntry> stored = new ArrayList<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      stored.add(spool.store(envelope(0), body(0)).get(10, TimeUnit.SECONDS));
      Path journal = SpoolFiles.journals(dir).lastEntry().getValue();
      Path segment = SpoolFiles.segment(dir, stored.get(0).bodySegment());
      long journalSize = Files.size(journal);
      assertThat(Files.size(segment)).isEqualTo(chunk);
      for (int i = 1; i < 20; i++) {
        stored.add(spool.store(envelope(i), body(i)).get(10, TimeUnit.SECONDS));
      }
      assertThat(Files.size(journal)).isEqualTo(journalSize);
      assertThat(Files.size(segment)).isEqualTo(chunk);
      assertThat(Files.readAllBytes(segment)).endsWith(new byte[1024]);
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(stored);
      assertThat(spool.recoveryReport())
          .as("a tail of zeros is padding, not a torn write")
          .isEmpty();
      for (SpoolEntry e : stored) {
        assertThat(bytes(spool.readBody(e.id()))).isEqualTo(bytes(body(stored.indexOf(e))));
      }
    }
  }

  @Test
  void aSegmentEmptiedByUnsyncedRemovesIsDeletedOnlyAfterTheJournalFsync() throws Exception {
    SpoolOptions smallSegments = SpoolOptions.defaults().withMinFreeBytes(0).withSegmentBytes(4096);
    AtomicInteger allowed = new AtomicInteger(SpoolFixtures.NO_FAULT);
    SpoolEntry first;
    SpoolEntry third;
    try (SegmentSpool spool =
        SegmentSpool.open(
            dir,
            smallSegments,
            Clock.systemUTC(),
            () -> SpoolFixtures.PLENTY_OF_SPACE,
            SpoolFixtures.failingAfter(allowed))) {
      first = spool.store(envelope(1), body(1, 3000)).get(10, TimeUnit.SECONDS);
      SpoolEntry second = spool.store(envelope(2), body(2, 3000)).get(10, TimeUnit.SECONDS);
      third = spool.store(envelope(3), body(3, 3000)).get(10, TimeUnit.SECONDS);
      assertThat(first.bodySegment()).isLessThan(second.bodySegment());
      assertThat(second.bodySegment()).isLessThan(third.bodySegment());

      // The journal fsync that must come before the deletion fails: the segment stays.
      allowed.set(0);
      spool.remove(first.id()).get(10, TimeUnit.SECONDS);
      assertThat(SpoolFiles.segment(dir, first.bodySegment())).exists();

      allowed.set(SpoolFixtures.NO_FAULT);
      long before = spool.fsyncCount();
      spool.remove(second.id()).get(10, TimeUnit.SECONDS);
      assertThat(SpoolFiles.segment(dir, second.bodySegment())).doesNotExist();
      assertThat(spool.fsyncCount()).isEqualTo(before + 1);
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir, smallSegments)) {
      // The segment left behind belongs to no live message: dropped at start, nothing reported.
      assertThat(spool.entries()).extracting(SpoolEntry::id).containsExactly(third.id());
      assertThat(SpoolFiles.segment(dir, first.bodySegment())).doesNotExist();
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void journalIsRewrittenWithLiveEntriesOnlyWhenItGrows() throws Exception {
    SpoolOptions small = SpoolOptions.defaults().withMinFreeBytes(0).withSegmentBytes(4096);
    List<SpoolEntry> kept = new ArrayList<>();
    try (SegmentSpool spool = SpoolFixtures.open(dir, small)) {
      for (int i = 0; i < 300; i++) {
        SpoolEntry e = spool.store(envelope(i), body(i)).get(10, TimeUnit.SECONDS);
        if (i % 100 == 0) {
          kept.add(e);
        } else {
          spool.remove(e.id()).get(10, TimeUnit.SECONDS);
        }
      }
    }
    // After close: a checkpoint runs on the commit thread after the batch's futures complete.
    assertThat(SpoolFiles.journals(dir)).hasSize(1);
    assertThat(SpoolFiles.journals(dir).firstKey()).isGreaterThan(1L);
    assertThat(Files.size(SpoolFiles.journals(dir).firstEntry().getValue())).isLessThan(3 * 4096);
    assertThat(SpoolFiles.segments(dir).size()).isLessThanOrEqualTo(kept.size() + 1);
    try (SegmentSpool spool = SpoolFixtures.open(dir, small)) {
      assertThat(spool.entries()).containsExactlyInAnyOrderElementsOf(kept);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void aSecondSpoolOnTheSameDirectoryIsRefused() throws Exception {
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThatThrownBy(() -> SpoolFixtures.open(dir))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("in use");
      assertThat(spool.healthy()).isTrue();
    }
  }

  @Test
  void storeAfterCloseFails() throws Exception {
    SegmentSpool spool = SpoolFixtures.open(dir);
    spool.close();
    CompletableFuture<SpoolEntry> late = spool.store(envelope(1), body(1));
    assertThat(late)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(SpoolException.class);
    assertThat(spool.healthy()).isFalse();
  }

  @Test
  void commitsRunOnOneThreadNamedSpoolCommitThatStopsAtClose() throws Exception {
    long before = commitThreads();
    SegmentSpool spool = SpoolFixtures.open(dir);
    spool.store(envelope(1), body(1)).get(10, TimeUnit.SECONDS);
    assertThat(commitThreads()).isEqualTo(before + 1);
    spool.close();
    assertThat(commitThreads()).isEqualTo(before);
  }

  private static long commitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(GroupCommitter.THREAD_NAME) && t.isAlive())
        .count();
  }
}
