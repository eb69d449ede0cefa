package dev.sluice.relay.queue;

import dev.sluice.routing.traffic.Admission;
import dev.sluice.routing.traffic.TrafficControl;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Admission of ready batches through traffic control: a batch whose member ran out of quota or
 * warmup allowance is routed again; one over a rate limit waits, and its ready queue with it, until
 * the bucket has refilled. Confined to the scheduler's thread.
 */
final class TrafficGate {
  private final TrafficControl traffic;
  private final Map<Batch.QueueKey, Instant> blockedUntil = new HashMap<>();

  TrafficGate(TrafficControl traffic) {
    this.traffic = traffic;
  }

  TrafficControl traffic() {
    return traffic;
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
   * Takes what the batch uses; when refused for a rate limit, blocks its queue until the refill.
   */
  TrafficControl.Admitted admit(Batch batch, Instant now) {
    TrafficControl.Admitted admitted =
        traffic.admit(batch.decision(), batch.destination(), batch.recipients().size(), now);
    Admission a = admitted.admission();
    if (!a.isAdmitted() && !admitted.memberOut()) {
      blockedUntil.put(batch.key(), a.retryAt());
    }
    return admitted;
  }

  /** The earliest instant a blocked queue or traffic control's own state changes. */
  Optional<Instant> nextChange(Instant now) {
    Optional<Instant> next = traffic.nextChange(now);
    for (Iterator<Instant> it = blockedUntil.values().iterator(); it.hasNext(); ) {
      Instant t = it.next();
      if (next.isEmpty() || t.isBefore(next.get())) {
        next = Optional.of(t);
      }
    }
    return next;
  }
}
