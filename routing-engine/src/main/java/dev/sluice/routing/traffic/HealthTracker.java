package dev.sluice.routing.traffic;

import dev.sluice.routing.config.HealthSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The health state machine of members, per key ({@code member} or {@code member|destination}). Soft
 * failures over a sliding window degrade a key, and it recovers below half that rate; a path
 * failure (every host failed) takes it down at once until its recheck, each down in a row waiting
 * the next interval of {@link HealthSettings#recheck()}; then the key is on probation, its weight
 * growing back over the ramp, and healthy at the end of it. A key with active probes (a relay) is
 * also taken down by failed probes in a row, and its recheck is a probe instead of trial traffic.
 *
 * <p>Not thread-safe: owned by one scheduler thread. Time is passed in; {@link #tick} applies the
 * changes due by time, and {@link #nextChange} says when to call it.
 */
public final class HealthTracker {
  private final HealthSettings settings;
  private final Map<String, KeyHealth> entries = new LinkedHashMap<>();
  private final Set<String> probed = new HashSet<>();

  public HealthTracker(HealthSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** An attempt through {@code key} got through. */
  public Optional<HealthEvent> success(String key, Instant now) {
    KeyHealth e = entry(key);
    e.succeeded(now);
    return recover(e, now);
  }

  /** A failure at one host: 421/450/451, a timeout, a connection or TLS failure. */
  public Optional<HealthEvent> softFailure(String key, Instant now, String detail) {
    KeyHealth e = failed(key, now, detail);
    if (e.state == HealthState.HEALTHY
        && e.attempts(now) >= settings.minAttempts()
        && e.failureRate(now) > settings.degradedAbove()) {
      return e.move(HealthState.DEGRADED, now, detail);
    }
    return Optional.empty();
  }

  /** Every host of the path failed: down at once, unless it already is. */
  public Optional<HealthEvent> pathFailure(String key, Instant now, String detail) {
    KeyHealth e = failed(key, now, detail);
    return e.state == HealthState.DOWN ? Optional.empty() : e.down(now, detail);
  }

  /** Marks {@code key} as probed: its recheck waits for {@link #probe} instead of trial traffic. */
  public void probed(String key) {
    probed.add(key);
  }

  /**
   * The result of an active probe. Up, {@link HealthSettings#probeFailures()} failed probes in a
   * row take the key down; down, a probe once the recheck is due puts it on probation, or keeps it
   * down until the next interval.
   */
  public Optional<HealthEvent> probe(String key, boolean ok, Instant now, String detail) {
    KeyHealth e = entry(key);
    boolean down = e.state == HealthState.DOWN;
    if (down && now.isBefore(e.recheckAt)) {
      return Optional.empty();
    }
    if (ok) {
      e.failedProbes = 0;
      e.failuresInRow = 0;
      return down ? e.probation(now, detail) : Optional.empty();
    }
    e.probeFailed(detail);
    if (down) {
      e.recheckAt = now.plus(e.nextInterval());
      return Optional.empty();
    }
    return e.failedProbes >= settings.probeFailures() ? e.down(now, detail) : Optional.empty();
  }

  /**
   * Applies the changes due at {@code now}: an unprobed down key whose recheck passed goes on
   * probation, a key whose ramp is over is healthy, a degraded key whose failures aged out
   * recovers.
   */
  public List<HealthEvent> tick(Instant now) {
    List<HealthEvent> events = new ArrayList<>();
    for (Iterator<Map.Entry<String, KeyHealth>> it = entries.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, KeyHealth> m = it.next();
      KeyHealth e = m.getValue();
      boolean due = e.changeAt().filter(at -> !now.isBefore(at)).isPresent();
      if (e.state == HealthState.DOWN && due && !probed.contains(m.getKey())) {
        e.probation(now, "recheck due").ifPresent(events::add);
      } else if (e.state == HealthState.PROBATION && due) {
        e.step = 0;
        e.move(HealthState.HEALTHY, now, "ramp complete").ifPresent(events::add);
      } else if (e.state == HealthState.DEGRADED) {
        recover(e, now).ifPresent(events::add);
      } else if (e.state == HealthState.HEALTHY
          && e.failuresInRow == 0
          && e.failedProbes == 0
          && e.attempts(now) == 0) {
        it.remove();
      }
    }
    return events;
  }

  /** The health of {@code key} at {@code now}; an unknown key is healthy. */
  public HealthView view(String key, Instant now) {
    KeyHealth e = entries.get(key);
    return e == null ? HealthView.HEALTHY : e.view(now);
  }

  /**
   * The earliest recheck or ramp end, for the scheduler to wake and {@link #tick}. A probed key's
   * recheck counts only while ahead of {@code now}: once due, it waits for a probe.
   */
  public Optional<Instant> nextChange(Instant now) {
    Instant next = null;
    for (Map.Entry<String, KeyHealth> m : entries.entrySet()) {
      Instant at = m.getValue().changeAt().orElse(null);
      boolean waitsForProbe = probed.contains(m.getKey()) && m.getValue().state == HealthState.DOWN;
      if (at != null
          && !(waitsForProbe && !at.isAfter(now))
          && (next == null || at.isBefore(next))) {
        next = at;
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * Forgets every key {@code keep} refuses, and the probe marks of all keys: after a reload, the
   * members that are gone drop out and the caller marks the probed ones again.
   */
  public void retain(Predicate<String> keep) {
    entries.keySet().removeIf(keep.negate());
    probed.clear();
  }

  /** Every key tracked (at least every key not healthy), by key. */
  public Map<String, HealthView> all(Instant now) {
    Map<String, HealthView> views = new TreeMap<>();
    entries.keySet().forEach(key -> views.put(key, view(key, now)));
    return Collections.unmodifiableMap(views);
  }

  private KeyHealth entry(String key) {
    return entries.computeIfAbsent(
        Objects.requireNonNull(key, "key"), k -> new KeyHealth(k, settings));
  }

  private KeyHealth failed(String key, Instant now, String detail) {
    KeyHealth e = entry(key);
    e.failed(now, detail);
    return e;
  }

  private Optional<HealthEvent> recover(KeyHealth e, Instant now) {
    double rate = e.failureRate(now);
    if (e.state != HealthState.DEGRADED || rate > settings.degradedAbove() / 2) {
      return Optional.empty();
    }
    return e.move(HealthState.HEALTHY, now, "failure rate fell to " + Math.round(rate * 100) + "%");
  }
}
