package dev.sluice.routing.traffic;

import dev.sluice.routing.config.ResponseRule;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts the matches of a response rule per key (a member) and fires at the {@code count}-th match
 * within {@code period}; firing starts the count afresh. Keeps at most {@code count} instants per
 * key.
 *
 * <p>Not thread-safe: owned by one scheduler thread. Time is passed in.
 */
public final class ThresholdTrigger {
  private final ResponseRule.Threshold threshold;
  private final Map<String, Deque<Instant>> hits = new HashMap<>();

  public ThresholdTrigger(ResponseRule.Threshold threshold) {
    this.threshold = Objects.requireNonNull(threshold, "threshold");
  }

  /** A match for {@code key} at {@code now}: true when it makes {@code count} within the period. */
  public boolean hit(String key, Instant now) {
    Deque<Instant> recent = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
    Instant cutoff = now.minus(threshold.period());
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
      recent.removeFirst();
    }
    recent.addLast(now);
    if (recent.size() >= threshold.count()) {
      hits.remove(key);
      return true;
    }
    return false;
  }
}
