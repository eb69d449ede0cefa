package dev.sluice.routing.traffic;

import dev.sluice.routing.config.HealthSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The health of one key inside {@link HealthTracker}: its window, state and recheck step. Not
 * thread-safe.
 */
final class KeyHealth {
  private static final int SLOTS = 10;

  private final String key;
  private final HealthSettings settings;
  private final SlidingCounts attempts;
  private final SlidingCounts failures;
  HealthState state = HealthState.HEALTHY;
  int step;
  Instant recheckAt;
  Instant probationStart;
  int failedProbes;
  int failuresInRow;
  String detail = "";

  KeyHealth(String key, HealthSettings settings) {
    this.key = key;
    this.settings = settings;
    this.attempts = new SlidingCounts(settings.window(), SLOTS);
    this.failures = new SlidingCounts(settings.window(), SLOTS);
  }

  void succeeded(Instant now) {
    attempts.add(now, 1);
    failuresInRow = 0;
  }

  void failed(Instant now, String why) {
    attempts.add(now, 1);
    failures.add(now, 1);
    failuresInRow++;
    detail = why;
  }

  void probeFailed(String why) {
    failedProbes++;
    failuresInRow++;
    detail = why;
  }

  Optional<HealthEvent> move(HealthState to, Instant now, String why) {
    HealthEvent event = new HealthEvent(key, state, to, now, why);
    state = to;
    return Optional.of(event);
  }

  Optional<HealthEvent> down(Instant now, String why) {
    recheckAt = now.plus(nextInterval());
    failedProbes = 0;
    return move(HealthState.DOWN, now, why);
  }

  Optional<HealthEvent> probation(Instant now, String why) {
    probationStart = now;
    return move(HealthState.PROBATION, now, why);
  }

  long attempts(Instant now) {
    return attempts.sum(now);
  }

  double failureRate(Instant now) {
    long n = attempts.sum(now);
    return n == 0 ? 0 : (double) failures.sum(now) / n;
  }

  /** The wait of the next recheck; advances the step, the last interval repeating. */
  Duration nextInterval() {
    List<Duration> recheck = settings.recheck();
    Duration interval = recheck.get(Math.min(step, recheck.size() - 1));
    step = Math.min(step + 1, recheck.size());
    return interval;
  }

  /** When the state changes by time alone: the recheck when down, the ramp's end on probation. */
  Optional<Instant> changeAt() {
    return switch (state) {
      case DOWN -> Optional.of(recheckAt);
      case PROBATION -> Optional.of(probationStart.plus(settings.ramp()));
      default -> Optional.empty();
    };
  }

  HealthView view(Instant now) {
    double factor =
        switch (state) {
          case HEALTHY -> 1;
          case DEGRADED -> settings.degradedWeight();
          case DOWN -> 0;
          case PROBATION -> rampFactor(now);
        };
    return new HealthView(state, factor, changeAt(), detail, failuresInRow);
  }

  private double rampFactor(Instant now) {
    long ramp = settings.ramp().toMillis();
    long elapsed = Duration.between(probationStart, now).toMillis();
    double done = ramp <= 0 ? 1 : Math.max(0, Math.min(1, (double) elapsed / ramp));
    return settings.rampStart() + (1 - settings.rampStart()) * done;
  }
}
