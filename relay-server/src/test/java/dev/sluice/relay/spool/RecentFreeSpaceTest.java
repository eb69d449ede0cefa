package dev.sluice.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentFreeSpaceTest {
  private static final long MIB = 1 << 20;
  private static final long THRESHOLD = 100 * MIB;

  private final AtomicLong free = new AtomicLong();
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong(42);
  private final RecentFreeSpace space =
      new RecentFreeSpace(
          () -> {
            probes.incrementAndGet();
            return free.get();
          },
          nanos::get,
          THRESHOLD);

  @Test
  void aReadingFarAboveTheThresholdIsReusedUntilItIsAHundredMillisecondsOld() {
    free.set(10_000 * MIB);
    assertThat(space.getAsLong()).isEqualTo(10_000 * MIB);
    free.set(5_000 * MIB);
    nanos.addAndGet(RecentFreeSpace.MAX_AGE_NANOS - 1);

    assertThat(space.getAsLong()).isEqualTo(10_000 * MIB);
    assertThat(probes).hasValue(1);

    nanos.incrementAndGet();
    assertThat(space.getAsLong()).isEqualTo(5_000 * MIB);
    assertThat(probes).hasValue(2);
  }

  @Test
  void nearTheThresholdEveryCallReadsAgain() {
    free.set(THRESHOLD + RecentFreeSpace.MARGIN_BYTES - 1);
    space.getAsLong();
    free.set(THRESHOLD - 1);

    assertThat(space.getAsLong()).isEqualTo(THRESHOLD - 1);
    free.set(THRESHOLD + 1);
    assertThat(space.getAsLong()).isEqualTo(THRESHOLD + 1);
    assertThat(probes).hasValue(3);
  }

  @Test
  void aHugeThresholdDoesNotOverflowIntoReuse() {
    RecentFreeSpace strict =
        new RecentFreeSpace(probes::incrementAndGet, nanos::get, Long.MAX_VALUE);
    strict.getAsLong();
    strict.getAsLong();
    assertThat(probes).hasValue(2);
  }
}
