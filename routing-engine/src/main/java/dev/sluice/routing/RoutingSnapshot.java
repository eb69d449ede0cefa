package dev.sluice.routing;

import dev.sluice.routing.select.Eligibility;
import java.time.Instant;
import java.util.Objects;

/**
 * The world as one decision sees it: the instant it is taken (from the caller's injected clock) and
 * the live state of members.
 */
public record RoutingSnapshot(Instant now, Eligibility eligibility) {
  public RoutingSnapshot {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(eligibility, "eligibility");
  }

  /** A snapshot in which every member is healthy and has room, e.g. for a dry run. */
  public static RoutingSnapshot allEligible(Instant now) {
    return new RoutingSnapshot(now, Eligibility.ALL);
  }
}
