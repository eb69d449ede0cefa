package dev.sluice.routing.config;

/**
 * {@code traffic.warmup}: when a warming member's schedule stops growing for a destination. A day
 * on which, after {@code minAttempts}, the bounce or the deferral rate of the member toward the
 * destination went above its threshold does not count as a warmup day.
 *
 * @param bounceAbove bounce rate that pauses the schedule (default 0.05)
 * @param deferralAbove deferral rate that pauses the schedule (default 0.2)
 * @param minAttempts attempts in the day before a rate pauses anything (default 20)
 */
public record WarmupPause(double bounceAbove, double deferralAbove, int minAttempts) {
  public static final WarmupPause DEFAULTS = new WarmupPause(0.05, 0.2, 20);
}
