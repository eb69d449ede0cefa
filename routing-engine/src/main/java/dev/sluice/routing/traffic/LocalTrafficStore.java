package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-process {@link TrafficStore}: the default on a single node, and the stand-in of a cluster
 * whose Redis is unreachable. Thread-safe: every method holds the store's lock, which makes {@link
 * #admit} all or nothing. Expired counters, values and full buckets are dropped as they are read
 * and in a sweep after as many operations as the store holds entries, so memory follows the live
 * keys and a sweep costs O(1) per operation over time.
 *
 * <p>Expiry is judged by the {@code now} of the call; a sweep, by the latest time the store was
 * given.
 */
public final class LocalTrafficStore implements TrafficStore {
  private static final int MIN_SWEEP_INTERVAL = 64;

  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Value> values = new HashMap<>();
  private final Map<String, Bucket> buckets = new HashMap<>();
  private long latest = Long.MIN_VALUE;
  private int operationsSinceSweep;

  private record Counter(long count, long expiresAt) {}

  private record Value(String value, long expiresAt) {}

  private record Bucket(TokenBuckets.State state, long fullAt) {}

  @Override
  public synchronized Admission admit(List<Charge> charges, Instant now) {
    long t = tick(now);
    // Charges are checked against a working copy, so two charges on one key add up.
    Map<String, Counter> quotas = new HashMap<>();
    Map<String, TokenBuckets.State> taken = new HashMap<>();
    for (Charge charge : charges) {
      if (charge instanceof Charge.Quota q) {
        long used =
            quotas.containsKey(q.key()) ? quotas.get(q.key()).count() : live(q.key(), t).count();
        if (used + q.amount() > q.cap()) {
          return Admission.refused(q, q.resetsAt());
        }
        quotas.put(q.key(), new Counter(used + q.amount(), q.resetsAt().toEpochMilli()));
      } else if (charge instanceof Charge.Bucket b) {
        TokenBuckets.State state =
            TokenBuckets.refill(
                taken.containsKey(b.key()) ? taken.get(b.key()) : stateOf(b.key()), b, t);
        if (!TokenBuckets.fits(state, b)) {
          return Admission.refused(b, Instant.ofEpochMilli(TokenBuckets.retryAt(state, b)));
        }
        taken.put(b.key(), TokenBuckets.take(state, b));
      }
    }
    counters.putAll(quotas);
    for (Charge charge : charges) {
      if (charge instanceof Charge.Bucket b) {
        TokenBuckets.State state = taken.get(b.key());
        buckets.put(b.key(), new Bucket(state, TokenBuckets.fullAt(state, b)));
      }
    }
    return Admission.admitted(now);
  }

  @Override
  public synchronized void refund(List<Charge.Quota> charges, Instant now) {
    long t = tick(now);
    for (Charge.Quota q : charges) {
      Counter c = live(q.key(), t);
      if (c.count() > 0) {
        counters.put(q.key(), new Counter(Math.max(0, c.count() - q.amount()), c.expiresAt()));
      }
    }
  }

  @Override
  public synchronized long count(String key, Instant now) {
    return live(key, tick(now)).count();
  }

  @Override
  public synchronized long add(String key, long delta, Instant expiresAt, Instant now) {
    long count = live(key, tick(now)).count() + delta;
    counters.put(key, new Counter(count, expiresAt.toEpochMilli()));
    return count;
  }

  @Override
  public synchronized Optional<String> get(String key, Instant now) {
    return liveValue(key, tick(now));
  }

  @Override
  public synchronized void put(String key, String value, Instant expiresAt, Instant now) {
    tick(now);
    values.put(key, new Value(value, expiresAt.toEpochMilli()));
  }

  @Override
  public synchronized String putIfAbsent(String key, String value, Instant expiresAt, Instant now) {
    String set = liveValue(key, tick(now)).orElse(value);
    values.put(key, new Value(set, expiresAt.toEpochMilli()));
    return set;
  }

  @Override
  public synchronized void remove(String key) {
    counters.remove(key);
    values.remove(key);
    buckets.remove(key);
  }

  @Override
  public synchronized Map<String, String> values(String prefix, Instant now) {
    long t = tick(now);
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (key, v) -> {
          if (key.startsWith(prefix) && v.expiresAt() > t) {
            out.put(key, v.value());
          }
        });
    return Collections.unmodifiableMap(out);
  }

  /** Counters, shared values and buckets held, expired or not yet swept. */
  public synchronized int size() {
    return counters.size() + values.size() + buckets.size();
  }

  /** The counter at {@code t}, a zero one when absent or expired (and then dropped). */
  private Counter live(String key, long t) {
    Counter c = counters.get(key);
    if (c == null) {
      return new Counter(0, Long.MIN_VALUE);
    }
    if (c.expiresAt() <= t) {
      counters.remove(key);
      return new Counter(0, Long.MIN_VALUE);
    }
    return c;
  }

  private Optional<String> liveValue(String key, long t) {
    Value v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v.expiresAt() <= t) {
      values.remove(key);
      return Optional.empty();
    }
    return Optional.of(v.value());
  }

  private TokenBuckets.State stateOf(String key) {
    Bucket b = buckets.get(key);
    return b == null ? null : b.state();
  }

  /** Notes the time of a call, sweeps when due, and returns the time expiry is judged by. */
  private long tick(Instant now) {
    long t = now.toEpochMilli();
    latest = Math.max(latest, t);
    operationsSinceSweep++;
    if (operationsSinceSweep >= Math.max(MIN_SWEEP_INTERVAL, size())) {
      operationsSinceSweep = 0;
      long at = latest;
      counters.values().removeIf(c -> c.expiresAt() <= at);
      values.values().removeIf(v -> v.expiresAt() <= at);
      buckets.values().removeIf(b -> b.fullAt() <= at);
    }
    return t;
  }
}
