package dev.sluice.relay.queue;

import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.Decision;
import java.util.List;
import java.util.Optional;

/**
 * Recipients of one message that go together through one member: the same rule, member and
 * destination, and for direct delivery the same domain (one MX). Ordered in its ready queue by
 * priority, then by arrival.
 *
 * @param destination the destination whose limits apply (after MX rollup)
 * @param domain the recipient domain for direct members; empty for relays
 * @param seq arrival order, for fairness among equal priorities
 */
record Batch(
    MessageJob job,
    Decision.Deliver decision,
    String destination,
    Optional<String> domain,
    List<SpoolRecipient> recipients,
    long seq)
    implements Comparable<Batch> {

  QueueKey key() {
    return new QueueKey(decision.member().name(), destination);
  }

  @Override
  public int compareTo(Batch other) {
    int p = Integer.compare(decision.priority(), other.decision.priority());
    return p != 0 ? p : Long.compare(seq, other.seq);
  }

  /** A ready queue: one member toward one destination. */
  record QueueKey(String member, String destination) {}
}
