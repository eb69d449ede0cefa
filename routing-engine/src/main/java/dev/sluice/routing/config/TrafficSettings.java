package dev.sluice.routing.config;

import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code traffic:} section of routes.yaml: how quotas, rate limits, warmup, health and adaptive
 * throttling behave. Every key has a default. Quota windows (hour, day) are calendar windows in
 * {@link RoutingSettings#timeZone()}.
 *
 * @param recipientRate messages to one recipient address, to stop a runaway loop (default 5/hour);
 *     empty turns the limit off; a rule's {@code recipient_rate} overrides it
 * @param burstWindow how much of a rate limit may go at once: a bucket holds the messages of this
 *     long at the limit's pace, at least one (default 1s; 600/min lets 10 go at once)
 */
public record TrafficSettings(
    Optional<Rate> recipientRate,
    Duration burstWindow,
    HealthSettings health,
    AimdSettings aimd,
    WarmupPause warmupPause,
    ReputationSettings reputation) {
  public static final TrafficSettings DEFAULTS =
      new TrafficSettings(
          Optional.of(new Rate(5, Duration.ofHours(1))),
          Duration.ofSeconds(1),
          HealthSettings.DEFAULTS,
          AimdSettings.DEFAULTS,
          WarmupPause.DEFAULTS,
          ReputationSettings.DEFAULTS);

  public TrafficSettings {
    Objects.requireNonNull(recipientRate, "recipientRate");
    Objects.requireNonNull(burstWindow, "burstWindow");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(aimd, "aimd");
    Objects.requireNonNull(warmupPause, "warmupPause");
    Objects.requireNonNull(reputation, "reputation");
  }
}
