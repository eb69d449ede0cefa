package dev.sluice.routing.traffic;

import dev.sluice.routing.config.AimdSettings;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Additive-increase, multiplicative-decrease of a factor in [floor, 1] per key (a member toward a
 * destination), applied to its rate and concurrency. A throttling deferral cuts the factor, at most
 * once per cooldown since attempts in flight answer together; a delivery after a clean window
 * raises it again. A key back at 1 is forgotten.
 *
 * <p>Not thread-safe: owned by one scheduler thread. Time is passed in.
 */
public final class Aimd {
  /** 0.5 + 5 × 0.1 is 0.9999999999999999 in doubles: close enough to 1 is 1. */
  private static final double ROUNDING = 1e-9;

  private final AimdSettings settings;
  private final Map<String, State> states = new HashMap<>();

  public Aimd(AimdSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** A throttling deferral: the new factor, unless within the cooldown or already at the floor. */
  public Optional<Double> throttled(String key, Instant now) {
    State s = states.get(key);
    if (s != null && now.isBefore(s.lastDecrease.plus(settings.cooldown()))) {
      return Optional.empty();
    }
    return decrease(key, settings.decrease(), now);
  }

  /** A delivery: the new factor when a clean window has passed since the last change. */
  public Optional<Double> delivered(String key, Instant now) {
    State s = states.get(key);
    Instant since = s == null ? null : later(s.lastDecrease, s.lastIncrease);
    if (s == null || now.isBefore(since.plus(settings.cleanWindow()))) {
      return Optional.empty();
    }
    s.factor = s.factor + settings.increase();
    s.lastIncrease = now;
    if (s.factor >= 1 - ROUNDING) {
      s.factor = 1;
      states.remove(key);
    }
    return Optional.of(s.factor);
  }

  /**
   * Response automation: multiplies the factor by {@code factor} (in (0, 1]), down to the floor.
   * Counts as a decrease: the clean window and the cooldown start again.
   */
  public void cut(String key, double factor, Instant now) {
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("a cut factor is in (0, 1]: " + factor);
    }
    decrease(key, factor, now);
  }

  /** The factor of {@code key}: 1 unless cut. */
  public double factor(String key) {
    State s = states.get(key);
    return s == null ? 1 : s.factor;
  }

  /** Forgets every key {@code keep} refuses (members gone after a reload). */
  public void retain(Predicate<String> keep) {
    states.keySet().removeIf(keep.negate());
  }

  /** Every key below 1, by key. */
  public Map<String, Double> all() {
    Map<String, Double> all = new TreeMap<>();
    states.forEach((key, s) -> all.put(key, s.factor));
    return Collections.unmodifiableMap(all);
  }

  private Optional<Double> decrease(String key, double by, Instant now) {
    State s = states.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new State());
    double before = s.factor;
    s.factor = Math.max(settings.floor(), s.factor * by);
    s.lastDecrease = now;
    return s.factor < before ? Optional.of(s.factor) : Optional.empty();
  }

  private static Instant later(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  /** The factor of one key below 1, and when it last moved. */
  private static final class State {
    double factor = 1;
    Instant lastDecrease;
    Instant lastIncrease;
  }
}
