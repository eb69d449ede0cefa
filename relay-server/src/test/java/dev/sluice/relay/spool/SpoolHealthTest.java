package dev.sluice.relay.spool;

import static dev.sluice.relay.spool.SpoolFixtures.body;
import static dev.sluice.relay.spool.SpoolFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolHealthTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long MIB = 1 << 20;

  @TempDir Path dir;

  @Test
  void belowTheFreeSpaceThresholdStoreFailsAndTheSpoolIsUnhealthy() throws Exception {
    AtomicLong free = new AtomicLong(500 * MIB);
    SpoolOptions options = SpoolOptions.defaults().withMinFreeBytes(100 * MIB);
    try (SegmentSpool spool = SpoolFixtures.open(dir, options, free::get)) {
      assertThat(spool.store(envelope(1), body(1))).succeedsWithin(WAIT);
      assertThat(spool.healthy()).isTrue();

      free.set(99 * MIB);

      assertThat(spool.healthy()).isFalse();
      assertThat(spool.store(envelope(2), body(2)))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SpoolException.class)
          .withMessageContaining("threshold");
      assertThat(spool.entries()).hasSize(1);

      free.set(500 * MIB);

      assertThat(spool.healthy()).isTrue();
      assertThat(spool.store(envelope(3), body(3))).succeedsWithin(WAIT);
    }
  }

  @Test
  void removeAndUpdateStillWorkBelowTheThreshold() throws Exception {
    AtomicLong free = new AtomicLong(500 * MIB);
    SpoolOptions options = SpoolOptions.defaults().withMinFreeBytes(100 * MIB);
    try (SegmentSpool spool = SpoolFixtures.open(dir, options, free::get)) {
      SpoolEntry entry = spool.store(envelope(1), body(1)).get(10, TimeUnit.SECONDS);
      free.set(0);
      assertThat(spool.update(entry.withState(java.util.Map.of("attempts", "1"))))
          .succeedsWithin(WAIT);
      assertThat(spool.remove(entry.id())).succeedsWithin(WAIT);
    }
  }

  @Test
  void anIoErrorFailsTheBatchMarksTheSpoolUnhealthyAndTheNextStoreSucceeds() throws Exception {
    AtomicInteger allowed = new AtomicInteger(SpoolFixtures.NO_FAULT);
    SpoolEntry good;
    try (SegmentSpool spool =
        SegmentSpool.open(
            dir,
            SpoolOptions.defaults().withMinFreeBytes(0),
            Clock.systemUTC(),
            () -> SpoolFixtures.PLENTY_OF_SPACE,
            SpoolFixtures.failingAfter(allowed))) {
      allowed.set(0);

      assertThat(spool.store(envelope(1), body(1)))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SpoolException.class)
          .withMessageContaining("No space left");
      assertThat(spool.healthy()).isFalse();
      assertThat(spool.entries()).isEmpty();

      allowed.set(SpoolFixtures.NO_FAULT);
      good = spool.store(envelope(2), body(2)).get(10, TimeUnit.SECONDS);

      assertThat(spool.healthy()).isTrue();
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactly(good);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void aFailedJournalFsyncLeavesNoRecordOfTheFailedMessage() throws Exception {
    AtomicInteger allowed = new AtomicInteger(SpoolFixtures.NO_FAULT);
    SpoolEntry before;
    SpoolEntry after;
    try (SegmentSpool spool =
        SegmentSpool.open(
            dir,
            SpoolOptions.defaults().withMinFreeBytes(0),
            Clock.systemUTC(),
            () -> SpoolFixtures.PLENTY_OF_SPACE,
            SpoolFixtures.failingAfter(allowed))) {
      before = spool.store(envelope(1), body(1)).get(10, TimeUnit.SECONDS);
      // A batch fsyncs the body segment, then the journal: let the first through.
      allowed.set(1);
      assertThat(spool.store(envelope(2), body(2)))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SpoolException.class);
      assertThat(spool.healthy()).isFalse();
      allowed.set(SpoolFixtures.NO_FAULT);
      after = spool.store(envelope(3), body(3)).get(10, TimeUnit.SECONDS);
      assertThat(spool.healthy()).isTrue();
    }
    try (SegmentSpool spool = SpoolFixtures.open(dir)) {
      assertThat(spool.entries()).containsExactlyInAnyOrder(before, after);
      assertThat(spool.recoveryReport()).isEmpty();
    }
  }

  @Test
  void aProbeTurnsTheSpoolHealthyAgainWithoutTraffic() throws Exception {
    AtomicInteger allowed = new AtomicInteger(SpoolFixtures.NO_FAULT);
    try (SegmentSpool spool =
        SegmentSpool.open(
            dir,
            SpoolOptions.defaults().withMinFreeBytes(0),
            Clock.systemUTC(),
            () -> SpoolFixtures.PLENTY_OF_SPACE,
            SpoolFixtures.failingAfter(allowed))) {
      allowed.set(0);
      assertThat(spool.store(envelope(1), body(1)))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SpoolException.class);
      assertThat(spool.healthy()).isFalse();
      assertThat(spool.probe())
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SpoolException.class);
      assertThat(spool.healthy()).isFalse();

      allowed.set(SpoolFixtures.NO_FAULT);
      spool.probe().get(10, TimeUnit.SECONDS);

      assertThat(spool.healthy()).isTrue();
    }
  }
}
