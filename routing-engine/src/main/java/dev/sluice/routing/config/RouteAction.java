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
 * @param recipientRate the rule's own limit of messages to one recipient address; empty when the
 *     rule writes no {@code recipient_rate} or writes {@code off}
 * @param recipientRateOff whether the rule wrote {@code recipient_rate: off}: its traffic has no
 *     per-recipient limit, whatever {@code traffic.recipient_rate} says. A flag beside the rate
 *     rather than a nested optional, so that "not set" (the traffic default applies) and "off" stay
 *     apart; never set together with a rate. {@link #recipientLimit} combines the three cases.
 * @param onRecipientLimit what happens to a recipient over its per-recipient limit
 */
public record RouteAction(
    String pool,
    Optional<List<String>> fallback,
    OptionalInt priority,
    Optional<Rate> rate,
    DkimPolicy dkim,
    HardBouncePolicy onHardBounce,
    List<String> tags,
    Optional<Rate> recipientRate,
    boolean recipientRateOff,
    RecipientLimitPolicy onRecipientLimit) {
  public RouteAction {
    Objects.requireNonNull(pool, "pool");
    fallback = fallback == null ? Optional.empty() : fallback.map(List::copyOf);
    Objects.requireNonNull(priority, "priority");
    rate = rate == null ? Optional.empty() : rate;
    dkim = dkim == null ? DkimPolicy.OPTIONAL : dkim;
    onHardBounce = onHardBounce == null ? HardBouncePolicy.BOUNCE : onHardBounce;
    tags = List.copyOf(tags);
    recipientRate = recipientRate == null ? Optional.empty() : recipientRate;
    if (recipientRateOff && recipientRate.isPresent()) {
      throw new IllegalArgumentException("a recipient rate cannot be both set and off");
    }
    onRecipientLimit = onRecipientLimit == null ? RecipientLimitPolicy.WAIT : onRecipientLimit;
  }

  /**
   * The limit of messages to one recipient address for this rule's traffic: the rule's own, none
   * when the rule turns it off, else {@code traffic.recipient_rate}.
   */
  public Optional<Rate> recipientLimit(TrafficSettings traffic) {
    if (recipientRateOff) {
      return Optional.empty();
    }
    return recipientRate.isPresent() ? recipientRate : traffic.recipientRate();
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
