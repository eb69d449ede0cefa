package dev.sluice.routing.traffic;

import dev.sluice.routing.units.Rate;
import java.time.Instant;
import java.util.Objects;

/**
 * One thing an attempt uses up, checked and taken by {@link TrafficStore#admit} together with the
 * others of the same attempt.
 */
public sealed interface Charge {
  /** The store key: {@code quota:day:ip-10:2026-11-23}, {@code rate:member:ses}… */
  String key();

  /** How much the attempt takes: its recipients. */
  long amount();

  /**
   * A counter with a cap that resets with its window: a calendar quota or a warmup day's allowance.
   * Refused when {@code used + amount > cap}; the key is forgotten at {@code resetsAt}.
   */
  record Quota(String key, long amount, long cap, Instant resetsAt) implements Charge {
    public Quota {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(resetsAt, "resetsAt");
      if (amount < 1 || cap < 0) {
        throw new IllegalArgumentException("need amount >= 1 and cap >= 0");
      }
    }
  }

  /**
   * A token bucket holding at most {@code burst} tokens, refilled at {@code rate}. Taking {@code
   * amount} needs {@code min(amount, burst)} tokens; the bucket may go into debt for the rest, so a
   * batch larger than the burst still passes once the bucket is full and the debt delays the next.
   */
  record Bucket(String key, long amount, Rate rate, long burst) implements Charge {
    public Bucket {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(rate, "rate");
      if (amount < 1 || burst < 1) {
        throw new IllegalArgumentException("need amount >= 1 and burst >= 1");
      }
    }
  }
}
