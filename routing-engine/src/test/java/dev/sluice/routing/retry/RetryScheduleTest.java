package dev.sluice.routing.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void delaysApplyInOrderAndTheLastOneRepeats() {
    RetrySchedule s =
        new RetrySchedule(
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1)),
            Duration.ofDays(5));
    assertThat(s.delayAfter(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.delayAfter(2)).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.delayAfter(3)).isEqualTo(Duration.ofHours(1));
    assertThat(s.delayAfter(40)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theDefaultStartsInMinutesAndEndsAfterFiveDays() {
    RetrySchedule s = RetrySchedule.DEFAULT;
    assertThat(s.delayAfter(1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.delayAfter(100)).isEqualTo(Duration.ofHours(4));
    assertThat(s.maxAge()).isEqualTo(Duration.ofDays(5));
  }

  @Test
  void aMessageExpiresOnceItIsMaxAgeOld() {
    RetrySchedule s = new RetrySchedule(List.of(Duration.ofHours(1)), Duration.ofHours(10));
    assertThat(s.expired(RECEIVED, RECEIVED.plus(Duration.ofHours(10)).minusSeconds(1))).isFalse();
    assertThat(s.expired(RECEIVED, RECEIVED.plus(Duration.ofHours(10)))).isTrue();
  }

  @Test
  void theLastAttemptIsMovedForwardToTheExpiryInstant() {
    RetrySchedule s = new RetrySchedule(List.of(Duration.ofHours(4)), Duration.ofHours(10));
    Instant now = RECEIVED.plus(Duration.ofHours(8));
    assertThat(s.nextAttempt(3, RECEIVED, now)).isEqualTo(RECEIVED.plus(Duration.ofHours(10)));
    assertThat(s.nextAttempt(1, RECEIVED, RECEIVED)).isEqualTo(RECEIVED.plus(Duration.ofHours(4)));
  }

  @Test
  void emptyOrNonPositiveSchedulesAreRefused() {
    assertThatThrownBy(() -> new RetrySchedule(List.of(), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ZERO), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
