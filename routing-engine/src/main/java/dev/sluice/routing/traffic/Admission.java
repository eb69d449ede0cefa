package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TrafficStore#admit} answered: every charge taken, or none and the first one that did
 * not fit.
 *
 * @param refusedBy the charge that did not fit; empty when admitted
 * @param retryAt when the refused charge may fit: the bucket's refill time or the quota's reset;
 *     the decision instant when admitted
 */
public record Admission(Optional<Charge> refusedBy, Instant retryAt) {
  public Admission {
    Objects.requireNonNull(refusedBy, "refusedBy");
    Objects.requireNonNull(retryAt, "retryAt");
  }

  public static Admission admitted(Instant now) {
    return new Admission(Optional.empty(), now);
  }

  public static Admission refused(Charge by, Instant retryAt) {
    return new Admission(Optional.of(by), retryAt);
  }

  public boolean isAdmitted() {
    return refusedBy.isEmpty();
  }
}
