package dev.sluice.routing.config;

import dev.sluice.routing.units.Rate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a matching rule does with a message.
 *
 * @param pool the pool to deliver through
 * @param fallback pools to try after it; empty means the pool's own fallback order
 * @param priority 1 (most urgent) to 10; empty means the message's own or the default
 * @param rate a rate limit for the traffic of this rule
 * @param dkim whether the message must, may or must not be DKIM-signed
 * @param onHardBounce what a 5xx reply does to a recipient
 * @param tags labels carried into logs and metrics
 */
public record RouteAction(
    String pool,
    Optional<List<String>> fallback,
    OptionalInt priority,
    Optional<Rate> rate,
    DkimPolicy dkim,
    HardBouncePolicy onHardBounce,
    List<String> tags) {
  public RouteAction {
    Objects.requireNonNull(pool, "pool");
    fallback = fallback == null ? Optional.empty() : fallback.map(List::copyOf);
    Objects.requireNonNull(priority, "priority");
    rate = rate == null ? Optional.empty() : rate;
    dkim = dkim == null ? DkimPolicy.OPTIONAL : dkim;
    onHardBounce = onHardBounce == null ? HardBouncePolicy.BOUNCE : onHardBounce;
    tags = List.copyOf(tags);
  }

  /** Whether a DKIM signature is asked of a rule: required (defer if no key), optional, or off. */
  public enum DkimPolicy {
    REQUIRED,
    OPTIONAL,
    OFF
  }

  /** What a permanent (5xx) failure does: bounce the recipient at once, or retry like a 4xx. */
  public enum HardBouncePolicy {
    BOUNCE,
    RETRY
  }
}
