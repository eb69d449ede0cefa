package dev.sluice.routing.config;

import java.time.Duration;

/**
 * {@code traffic.adaptive}: additive-increase, multiplicative-decrease of the rate and concurrency
 * of one member toward one destination, driven by that destination's throttling replies.
 *
 * @param decrease factor applied on a throttling deferral (421/451/452…; default 0.5)
 * @param cooldown time after a decrease during which further deferrals do not cut again, since
 *     attempts in flight answer together (default 30s)
 * @param increase added to the factor after each clean window (default 0.1)
 * @param cleanWindow a window with deliveries and no throttling deferral (default 1m)
 * @param floor the factor never goes below this (default 0.05)
 */
public record AimdSettings(
    double decrease, Duration cooldown, double increase, Duration cleanWindow, double floor) {
  public static final AimdSettings DEFAULTS =
      new AimdSettings(0.5, Duration.ofSeconds(30), 0.1, Duration.ofMinutes(1), 0.05);
}
