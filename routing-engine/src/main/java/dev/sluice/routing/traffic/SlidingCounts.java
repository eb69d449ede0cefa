package dev.sluice.routing.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A count of events over a sliding window, kept in {@code slots} fixed slots of {@code window /
 * slots} each: memory is bounded by the slots, and an event falls out of the sum as a whole slot,
 * so the window is exact to one slot. An event at an instant before the latest one seen counts in
 * the latest slot.
 *
 * <p>Not thread-safe: owned by one scheduler thread. Time is passed in.
 */
public final class SlidingCounts {
  private final long slotMillis;
  private final long[] counts;
  private final long[] slotOf;
  private long latest = Long.MIN_VALUE;

  public SlidingCounts(Duration window, int slots) {
    Objects.requireNonNull(window, "window");
    if (slots < 1 || window.toMillis() / slots < 1) {
      throw new IllegalArgumentException(
          "need at least one slot of at least 1ms: " + window + " / " + slots);
    }
    this.slotMillis = window.toMillis() / slots;
    this.counts = new long[slots];
    this.slotOf = new long[slots];
    Arrays.fill(slotOf, Long.MIN_VALUE);
  }

  /** Counts {@code n} events at {@code now}. */
  public void add(Instant now, long n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot add a negative count: " + n);
    }
    long slot = current(now);
    latest = slot;
    int i = (int) Math.floorMod(slot, (long) counts.length);
    if (slotOf[i] != slot) {
      slotOf[i] = slot;
      counts[i] = 0;
    }
    counts[i] += n;
  }

  /** The events counted in the window that ends at {@code now}. */
  public long sum(Instant now) {
    long slot = current(now);
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (slotOf[i] > slot - counts.length && slotOf[i] <= slot) {
        total += counts[i];
      }
    }
    return total;
  }

  private long current(Instant now) {
    return Math.max(latest, Math.floorDiv(now.toEpochMilli(), slotMillis));
  }
}
