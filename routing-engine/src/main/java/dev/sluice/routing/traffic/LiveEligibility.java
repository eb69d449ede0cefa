package dev.sluice.routing.traffic;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Which members may take traffic at one instant, and at what share of their weight: suspended,
 * down, out of quota or of warmup allowance is out; health, warmup, reputation and the ramp after a
 * suspension scale the weight.
 */
final class LiveEligibility implements Eligibility {
  private final Instant now;
  private final ZoneId zone;
  private final TrafficStore store;
  private final HealthTracker health;
  private final WarmupTracker warmup;
  private final Reputation reputation;
  private final Suspensions suspensions;

  LiveEligibility(
      Instant now,
      ZoneId zone,
      TrafficStore store,
      HealthTracker health,
      WarmupTracker warmup,
      Reputation reputation,
      Suspensions suspensions) {
    this.now = now;
    this.zone = zone;
    this.store = store;
    this.health = health;
    this.warmup = warmup;
    this.reputation = reputation;
    this.suspensions = suspensions;
  }

  @Override
  public MemberVerdict check(MemberConfig m, String destination) {
    Optional<Suspension> suspended = suspensions.member(m.name(), destination, now);
    if (suspended.isPresent()) {
      return new MemberVerdict.Ineligible(
          MemberVerdict.Reason.SUSPENDED, suspended.get().describe());
    }
    HealthView whole = health.view(m.name(), now);
    HealthView path = health.view(TrafficControl.pathKey(m, destination), now);
    for (HealthView v : List.of(whole, path)) {
      if (v.state() == HealthState.DOWN) {
        return new MemberVerdict.Ineligible(
            MemberVerdict.Reason.DOWN,
            v.detail() + v.recheckAt().map(t -> "; recheck at " + t).orElse(""));
      }
    }
    for (CalendarQuota q : CalendarQuota.of(m, now, zone)) {
      if (store.count(q.key(), now) >= q.cap()) {
        return new MemberVerdict.Ineligible(MemberVerdict.Reason.QUOTA, q.usedUp());
      }
    }
    double factor = Math.min(whole.weightFactor(), path.weightFactor());
    Optional<WarmupStatus> w = warmup.status(m, destination, now);
    if (w.isPresent()) {
      if (w.get().sent() >= w.get().allowance()) {
        return new MemberVerdict.Ineligible(
            MemberVerdict.Reason.WARMUP,
            "warmup day "
                + w.get().day()
                + " allows "
                + w.get().allowance()
                + " to "
                + destination
                + ", all sent"
                + (w.get().pausedToday() ? " (paused today)" : "")
                + "; resets at "
                + w.get().today().end());
      }
      factor *= w.get().share();
    }
    factor *= reputation.factor(m.name(), now);
    factor *= suspensions.rampFactor(m.name(), destination, now);
    return factor >= 1 ? MemberVerdict.FULL : new MemberVerdict.Eligible(Math.max(factor, 1e-3));
  }
}
