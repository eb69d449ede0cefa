package dev.sluice.routing.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * When a deferred message is tried again, and when it gives up. The delays apply in order after the
 * first, second… failed attempt; the last one repeats. A message older than {@code maxAge} expires
 * (DSN to the sender); its last attempt is moved forward to the moment it would expire, so no
 * message waits longer than {@code maxAge} for its verdict. Immutable and pure.
 *
 * @param delays the wait after each failed attempt, at least one, each positive
 * @param maxAge how long a message may stay queued
 */
public record RetrySchedule(List<Duration> delays, Duration maxAge) {
  /**
   * Close to Postfix and KumoMTA practice: minutes first (most deferrals are short greylisting or
   * throttling), then doubling up to four hours; five days in all.
   */
  public static final RetrySchedule DEFAULT =
      new RetrySchedule(
          List.of(
              Duration.ofMinutes(5),
              Duration.ofMinutes(10),
              Duration.ofMinutes(20),
              Duration.ofMinutes(40),
              Duration.ofMinutes(80),
              Duration.ofMinutes(160),
              Duration.ofHours(4)),
          Duration.ofDays(5));

  public RetrySchedule {
    delays = List.copyOf(delays);
    Objects.requireNonNull(maxAge, "maxAge");
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("a retry schedule needs at least one delay");
    }
    for (Duration d : delays) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("retry delays must be positive: " + d);
      }
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("max age must be positive: " + maxAge);
    }
  }

  /** The wait after the {@code failedAttempts}-th failed attempt (1 for the first). */
  public Duration delayAfter(int failedAttempts) {
    int i = Math.max(1, failedAttempts) - 1;
    return delays.get(Math.min(i, delays.size() - 1));
  }

  /** Whether a message received at {@code receivedAt} has outlived the queue at {@code now}. */
  public boolean expired(Instant receivedAt, Instant now) {
    return !now.isBefore(receivedAt.plus(maxAge));
  }

  /**
   * The next attempt of a message that has failed {@code failedAttempts} times, the last at {@code
   * now}: never later than the moment it expires.
   */
  public Instant nextAttempt(int failedAttempts, Instant receivedAt, Instant now) {
    Instant next = now.plus(delayAfter(failedAttempts));
    Instant expiry = receivedAt.plus(maxAge);
    return next.isAfter(expiry) ? expiry : next;
  }
}
