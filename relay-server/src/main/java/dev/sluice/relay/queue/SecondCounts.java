package dev.sluice.relay.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * Events counted per second over a fixed window (a ring of one-second buckets): how many happened
 * in the last {@code window}, in constant memory whatever the traffic. Not thread-safe.
 */
final class SecondCounts {
  private final long[] seconds;
  private final long[] counts;

  SecondCounts(Duration window) {
    int n = (int) Math.max(1, window.toSeconds());
    this.seconds = new long[n];
    this.counts = new long[n];
    java.util.Arrays.fill(seconds, Long.MIN_VALUE);
  }

  void add(Instant at, long n) {
    long s = at.getEpochSecond();
    int i = (int) Math.floorMod(s, (long) seconds.length);
    if (seconds[i] != s) {
      seconds[i] = s;
      counts[i] = 0;
    }
    counts[i] += n;
  }

  /** Events in the window that ends at {@code now}. */
  long total(Instant now) {
    long s = now.getEpochSecond();
    long sum = 0;
    for (int i = 0; i < seconds.length; i++) {
      if (seconds[i] > s - seconds.length && seconds[i] <= s) {
        sum += counts[i];
      }
    }
    return sum;
  }

  Duration window() {
    return Duration.ofSeconds(seconds.length);
  }
}
