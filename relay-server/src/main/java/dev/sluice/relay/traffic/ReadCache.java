package dev.sluice.relay.traffic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers a remote read from memory for a short time: the scheduler asks for the same quota
 * counters and suspensions at every routing decision, and a round trip to Redis for each would cost
 * more than the decision. What this node changes itself is forgotten at once; what other nodes
 * change is seen within {@code millis}.
 */
final class ReadCache<V> {
  private static final int SWEEP_SIZE = 10_000;

  private final long millis;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

  private record Entry<V>(V value, long at) {}

  ReadCache(long millis) {
    this.millis = millis;
  }

  /** The value read at most {@code millis} before {@code t}, else a fresh one from {@code load}. */
  V get(String key, long t, Supplier<V> load) {
    Entry<V> cached = entries.get(key);
    if (cached != null && t >= cached.at() && t - cached.at() < millis) {
      return cached.value();
    }
    V value = load.get();
    if (millis > 0) {
      if (entries.size() >= SWEEP_SIZE) {
        entries.values().removeIf(e -> t < e.at() || t - e.at() >= millis);
      }
      entries.put(key, new Entry<>(value, t));
    }
    return value;
  }

  void forget(String key) {
    entries.remove(key);
  }
}
