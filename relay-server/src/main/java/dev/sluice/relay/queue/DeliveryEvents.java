package dev.sluice.relay.queue;

import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventSink;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.routing.Decision;
import dev.sluice.routing.bounce.BounceCategory;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduler's side of the event stream: one {@code routed} event per batch, one {@code attempt}
 * per attempt, and one {@code delivered}, {@code deferred}, {@code bounced} or {@code expired} per
 * recipient. Faults of the daemon itself (a damaged spool record, a failed write) are warnings of
 * its own log instead. Only names, addresses and remote replies go out, never secrets.
 */
final class DeliveryEvents {
  private static final System.Logger LOG = System.getLogger("dev.sluice.delivery");

  private final EventSink events;
  private final Clock clock;

  DeliveryEvents(EventSink events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /** Where a recipient was going when something happened to it; {@link #NONE} before routing. */
  record Via(String rule, String pool, String member, String destination, String sourceIp) {
    static final Via NONE = new Via(null, null, null, null, null);

    static Via of(Batch batch) {
      return of(batch.decision(), batch.destination());
    }

    static Via of(Decision.Deliver d, String destination) {
      return new Via(
          d.rule(), d.pool(), d.member().name(), destination, d.member().sourceIp().orElse(null));
    }
  }

  /** Recipients of a message queued for one member toward one destination. */
  void routed(MessageJob job, Decision.Deliver d, String destination, int recipients) {
    events.accept(
        base("routed", job, Via.of(d, destination), d.tenant())
            .with("priority", d.priority())
            .with("recipients", recipients)
            .build());
  }

  /**
   * One attempt finished: how many recipients it carried, the host that answered, how long it took,
   * and why the path failed when it did.
   */
  void attempt(Batch batch, AttemptResult result, Instant started) {
    String mx = null;
    String reply = null;
    for (RecipientOutcome o : result.outcomes()) {
      mx = mx == null && !o.host().isEmpty() ? o.host() : mx;
      reply = reply == null ? o.reply().toString() : reply;
    }
    events.accept(
        base("attempt", batch.job(), Via.of(batch), batch.decision().tenant())
            .with("mx", mx)
            .with("recipients", batch.recipients().size())
            .with("result", result.pathFailure().isPresent() ? "path_failed" : "ok")
            .with("reply", result.pathFailure().orElse(reply))
            .with("elapsed_ms", Duration.between(started, clock.instant()).toMillis())
            .build());
  }

  /** The next hop took the recipient; {@code delay_ms} is the time since it was received. */
  void delivered(Batch batch, RecipientOutcome o) {
    Instant received = batch.job().entry.envelope().receivedAt();
    events.accept(
        recipient("delivered", batch.job(), Via.of(batch), batch.decision().tenant(), o)
            .with("delay_ms", Math.max(0, Duration.between(received, clock.instant()).toMillis()))
            .build());
  }

  void deferred(MessageJob job, Via via, Optional<String> tenant, RecipientOutcome o) {
    events.accept(recipient("deferred", job, via, tenant, o).build());
  }

  void bounced(
      MessageJob job, Via via, Optional<String> tenant, RecipientOutcome o, BounceCategory c) {
    events.accept(recipient("bounced", job, via, tenant, o).with("category", c.label()).build());
  }

  /** A recipient outlived the queue lifetime; {@code reply} says what held it up last. */
  void expired(MessageJob job, RecipientOutcome o) {
    events.accept(recipient("expired", job, Via.NONE, Optional.empty(), o).build());
  }

  /** A fault of the daemon about one message, for its own log. */
  void problem(Level level, String what, MessageId id, String detail) {
    LOG.log(level, "{0} id={1}: {2}", what, id.value(), detail);
  }

  private Event.Builder recipient(
      String type, MessageJob job, Via via, Optional<String> tenant, RecipientOutcome o) {
    return base(type, job, via, tenant)
        .with("recipient", o.recipient().address())
        .with("mx", o.host())
        .with("reply", o.reply().toString());
  }

  private Event.Builder base(String type, MessageJob job, Via via, Optional<String> tenant) {
    return Event.of(type, clock.instant())
        .with("message_id", job.entry.id().value())
        .with("tenant", tenant.orElse(job.entry.envelope().tenant()))
        .with("rule", via.rule())
        .with("pool", via.pool())
        .with("member", via.member())
        .with("destination", via.destination())
        .with("source_ip", via.sourceIp());
  }
}
