package dev.sluice.routing.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code traffic.health}: when a member (or a member toward one destination) is degraded or down,
 * and how it comes back.
 *
 * @param window sliding window of attempts the failure rate is taken over (default 5m)
 * @param minAttempts attempts in the window before a rate means anything (default 10)
 * @param degradedAbove failure rate (connection failures, timeouts, TLS failures, 421/450/451)
 *     above which the member is degraded (default 0.25)
 * @param degradedWeight share of its weight a degraded member keeps (default 0.5)
 * @param recheck waits before a down member is tried again, one per failure in a row; the last
 *     repeats (default 1m, 5m, 15m, 30m, 1h, 4h)
 * @param rampStart share of its weight a member on probation starts at (default 0.1)
 * @param ramp time over which a member on probation grows back to its full weight (default 30m)
 * @param probeFailures failed probes in a row that mark a relay member down (default 3)
 */
public record HealthSettings(
    Duration window,
    int minAttempts,
    double degradedAbove,
    double degradedWeight,
    List<Duration> recheck,
    double rampStart,
    Duration ramp,
    int probeFailures) {
  public static final HealthSettings DEFAULTS =
      new HealthSettings(
          Duration.ofMinutes(5),
          10,
          0.25,
          0.5,
          List.of(
              Duration.ofMinutes(1),
              Duration.ofMinutes(5),
              Duration.ofMinutes(15),
              Duration.ofMinutes(30),
              Duration.ofHours(1),
              Duration.ofHours(4)),
          0.1,
          Duration.ofMinutes(30),
          3);

  public HealthSettings {
    Objects.requireNonNull(window, "window");
    recheck = List.copyOf(recheck);
    Objects.requireNonNull(ramp, "ramp");
    if (recheck.isEmpty()) {
      throw new IllegalArgumentException("recheck needs at least one interval");
    }
  }
}
