package dev.sluice.routing.select;

import dev.sluice.routing.config.MemberConfig;

/**
 * Live state of members, as the later layers know it (health, suspension, quota, warmup). The
 * router asks it about every member of a pool it considers; implementations must be thread-safe and
 * cheap, since they are called on the decision path.
 */
@FunctionalInterface
public interface Eligibility {
  /** Every member eligible at full weight: the state of a fresh node or of a dry run. */
  Eligibility ALL = (member, destination) -> MemberVerdict.FULL;

  /**
   * Whether {@code member} may take a message for {@code destination} now, and at what share of its
   * configured weight.
   */
  MemberVerdict check(MemberConfig member, String destination);
}
