package dev.sluice.relay.queue;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.bounce.BounceCategory;
import dev.sluice.routing.bounce.BounceClassifier;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import java.util.Optional;

/**
 * Settles a recipient for the round on its job, deferred or bounced, and reports it as an event.
 * Confined to the scheduler's thread.
 */
final class JobOutcomes {
  private final DeliveryEvents events;

  JobOutcomes(DeliveryEvents events) {
    this.events = events;
  }

  /** Deferred before any attempt (no path now, a held tenant, a limit): tried at the next round. */
  void defer(MessageJob job, SpoolRecipient r, SmtpReply reply) {
    deferred(
        job,
        new RecipientOutcome(r, Disposition.DEFER, Stage.DNS, reply, "", false),
        DeliveryEvents.Via.NONE,
        Optional.empty());
  }

  void deferred(
      MessageJob job, RecipientOutcome o, DeliveryEvents.Via via, Optional<String> tenant) {
    job.deferred.add(o);
    events.deferred(job, via, tenant, o);
  }

  void bounce(MessageJob job, RecipientOutcome o, Optional<String> tenant, DeliveryEvents.Via via) {
    job.bounced.add(new Bounce(o, tenant, false));
    BounceCategory category =
        BounceClassifier.classify(o.reply().code(), o.reply().status(), o.reply().toString());
    events.bounced(job, via, tenant, o, category);
  }
}
