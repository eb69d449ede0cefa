package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingCountsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private final SlidingCounts counts = new SlidingCounts(Duration.ofMinutes(5), 5);

  @Test
  void sumsEventsWithinTheWindow() {
    counts.add(T0, 2);
    counts.add(T0.plusSeconds(90), 3);
    assertThat(counts.sum(T0.plusSeconds(100))).isEqualTo(5);
  }

  @Test
  void oldSlotsFallOutAsTimePasses() {
    counts.add(T0, 2);
    counts.add(T0.plusSeconds(90), 3);
    assertThat(counts.sum(T0.plus(Duration.ofSeconds(299)))).isEqualTo(5);
    assertThat(counts.sum(T0.plus(Duration.ofMinutes(5)))).isEqualTo(3);
    assertThat(counts.sum(T0.plus(Duration.ofMinutes(6)))).isZero();
  }

  @Test
  void aSlotReusedAfterAFullTurnStartsAtZero() {
    counts.add(T0, 7);
    counts.add(T0.plus(Duration.ofMinutes(5)), 1);
    assertThat(counts.sum(T0.plus(Duration.ofMinutes(5)))).isEqualTo(1);
  }

  @Test
  void anEventFromThePastCountsInTheLatestSlot() {
    counts.add(T0.plus(Duration.ofMinutes(10)), 1);
    counts.add(T0, 4);
    assertThat(counts.sum(T0.plus(Duration.ofMinutes(10)))).isEqualTo(5);
  }

  @Test
  void rejectsSlotsShorterThanAMillisecond() {
    assertThatThrownBy(() -> new SlidingCounts(Duration.ofMillis(5), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
