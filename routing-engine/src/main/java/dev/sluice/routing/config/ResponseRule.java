package dev.sluice.routing.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Response automation: a destination's reply that means "slow down" or "stop", declared in
 * routes.yaml under {@code destinations.NAME.responses}. When {@code pattern} is found in a reply
 * (code, enhanced status and text, as {@code 421 4.7.0 [TS04] Messages from … deferred}) and the
 * trigger fires, the action holds for {@code duration}; after it the member ramps back.
 *
 * @param name for logs and the API: the rule's {@code name}, else its regex
 * @param pattern searched (not matched whole) in the reply, case-insensitive
 * @param trigger empty fires at the first match; else at {@code count} matches within {@code
 *     period} for the same member
 */
public record ResponseRule(
    String name, Pattern pattern, Optional<Threshold> trigger, Action action, Duration duration) {
  public ResponseRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    trigger = trigger == null ? Optional.empty() : trigger;
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(duration, "duration");
  }

  /** {@code 3/5m}: fires at the 3rd match within 5 minutes. */
  public record Threshold(int count, Duration period) {}

  /** What a fired rule does. */
  public sealed interface Action {}

  /** Takes the member out of selection for this destination. */
  public record SuspendMember() implements Action {}

  /** Holds every message of the tenant of the message that got the reply. */
  public record SuspendTenant() implements Action {}

  /**
   * Multiplies the rate and concurrency of the member toward this destination by {@code factor}.
   */
  public record Throttle(double factor) implements Action {}

  /** Bounces the recipient that got the reply, as if it were permanent. */
  public record Bounce() implements Action {}
}
