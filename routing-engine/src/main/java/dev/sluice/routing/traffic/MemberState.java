package dev.sluice.routing.traffic;

import java.util.Map;
import java.util.Optional;

/**
 * The live state of a member (as a whole, or toward one destination), for the admin API and logs.
 *
 * @param health its health state and the share of weight it leaves
 * @param throttle the adaptive factor on its rate and connections (1 = not throttled)
 * @param reputation the factor its bounce and complaint rates leave on its weight
 * @param suspension the suspension in force, if any
 * @param warmup where it stands in its warmup toward the destination, if warming
 * @param quotaUsed quota used in the current window: {@code hour}, {@code day}
 */
public record MemberState(
    HealthView health,
    double throttle,
    double reputation,
    Optional<Suspension> suspension,
    Optional<WarmupStatus> warmup,
    Map<String, Long> quotaUsed) {
  public MemberState {
    quotaUsed = Map.copyOf(quotaUsed);
  }
}
