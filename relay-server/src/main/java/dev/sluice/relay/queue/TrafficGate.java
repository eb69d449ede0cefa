package dev.sluice.relay.queue;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.traffic.Admission;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.TrafficControl;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admission of ready batches through traffic control, and the ready queues that wait for a rate
 * limit to refill. Confined to the scheduler's thread.
 */
final class TrafficGate {
  private final TrafficControl traffic;
  private final Map<Batch.QueueKey, Instant> blockedUntil = new HashMap<>();

  TrafficGate(TrafficControl traffic) {
    this.traffic = traffic;
  }

  /** Whether the queue waits for a rate limit to refill. */
  boolean blocked(Batch.QueueKey key, Instant now) {
    Instant until = blockedUntil.get(key);
    if (until == null) {
      return false;
    }
    if (now.isBefore(until)) {
      return true;
    }
    blockedUntil.remove(key);
    return false;
  }

  /**
   * Takes what the batch uses. A batch whose member is out for its destination since it was routed
   * (down, suspended, a quota or the warmup allowance used up, possibly by another node; or out for
   * the destination the MX rollup put the recipients under) is to be routed again without it; one
   * over a rate limit waits, and its queue is blocked until the bucket refills.
   */
  Verdict admit(Batch batch, Eligibility live, Instant now) {
    MemberConfig member = batch.decision().member();
    if (live.check(member, batch.destination()) instanceof MemberVerdict.Ineligible) {
      return new Verdict(Kind.REROUTE, List.of());
    }
    TrafficControl.Admitted admitted =
        traffic.admit(batch.decision(), batch.destination(), batch.recipients().size(), now);
    Admission a = admitted.admission();
    if (a.isAdmitted()) {
      return new Verdict(Kind.ADMITTED, admitted.quotas());
    }
    if (admitted.memberOut()) {
      return new Verdict(Kind.REROUTE, List.of());
    }
    blockedUntil.put(batch.key(), a.retryAt());
    return new Verdict(Kind.WAIT, List.of());
  }

  /** What becomes of a ready batch. */
  enum Kind {
    ADMITTED,
    REROUTE,
    WAIT
  }

  /**
   * @param quotas the quota taken, to give back for recipients never handed over
   */
  record Verdict(Kind kind, List<Charge.Quota> quotas) {}

  /** The queue was emptied (its batches routed again): it waits for nothing any more. */
  void emptied(Batch.QueueKey key) {
    blockedUntil.remove(key);
  }

  /**
   * The earliest instant a blocked queue or traffic control's own state changes. A queue's instant
   * that has passed is answered this once, then forgotten: the wake-up it brings dispatches the
   * queue if it still holds batches, and a queue nobody dispatches any more cannot ask for a
   * wake-up at once again and again.
   */
  Optional<Instant> nextChange(Instant now) {
    Optional<Instant> next = traffic.nextChange(now);
    for (Iterator<Instant> it = blockedUntil.values().iterator(); it.hasNext(); ) {
      Instant t = it.next();
      if (next.isEmpty() || t.isBefore(next.get())) {
        next = Optional.of(t);
      }
      if (!now.isBefore(t)) {
        it.remove();
      }
    }
    return next;
  }
}
