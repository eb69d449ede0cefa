package dev.sluice.relay.queue;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import dev.sluice.routing.retry.RetrySchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a finished round of attempts leaves behind: the recipients still to deliver with their next
 * attempt, or nothing; deferred recipients of a message past the queue lifetime become expired
 * bounces instead. Pure.
 *
 * @param remaining the spool entry to keep (its recipients are those left), or null when the
 *     message is done
 * @param expired deferred recipients that ran out of time: they bounce with 4.4.7
 * @param next when the remaining recipients are tried again
 */
record RoundEnd(SpoolEntry remaining, List<Bounce> expired, Instant next) {

  static RoundEnd of(MessageJob job, RetrySchedule retry, Instant now) {
    SpoolEnvelope envelope = job.entry.envelope();
    List<RecipientOutcome> deferred = job.deferred;
    List<Bounce> expired = new ArrayList<>();
    if (!deferred.isEmpty() && retry.expired(envelope.receivedAt(), now)) {
      for (RecipientOutcome o : deferred) {
        expired.add(expiry(o.recipient(), o.describe(), o.stage(), o.host(), envelope));
      }
      deferred = List.of();
    }
    List<SpoolRecipient> left = new ArrayList<>();
    deferred.forEach(o -> left.add(o.recipient()));
    left.addAll(job.untried);
    if (left.isEmpty()) {
      return new RoundEnd(null, expired, now);
    }
    int attempts = job.state.attempts() + (deferred.isEmpty() ? 0 : 1);
    String lastError =
        deferred.isEmpty() ? job.state.lastError() : deferred.get(deferred.size() - 1).describe();
    Instant next =
        deferred.isEmpty() ? now : retry.nextAttempt(attempts, envelope.receivedAt(), now);
    Set<String> counted = new HashSet<>();
    for (SpoolRecipient r : left) {
      if (job.state.counted().contains(r.address()) || job.counted.contains(r.address())) {
        counted.add(r.address());
      }
    }
    SpoolEntry kept =
        job.entry.with(
            withRecipients(envelope, left),
            new DeliveryState(attempts, next, lastError, counted).toMap());
    return new RoundEnd(kept, expired, next);
  }

  /** The bounce of a recipient that outlived the queue; {@code lastError} says what held it up. */
  private static Bounce expiry(
      SpoolRecipient r, String lastError, Stage stage, String host, SpoolEnvelope envelope) {
    SmtpReply reply =
        SmtpReply.of(
            451,
            "4.4.7",
            "Delivery time expired" + (lastError == null ? "" : "; last error: " + lastError));
    return new Bounce(
        new RecipientOutcome(r, Disposition.BOUNCE, stage, reply, host, false),
        Optional.ofNullable(envelope.tenant()),
        true);
  }

  private static SpoolEnvelope withRecipients(SpoolEnvelope e, List<SpoolRecipient> recipients) {
    return new SpoolEnvelope(
        e.sender(),
        recipients,
        e.tenant(),
        e.clientAddress(),
        e.helo(),
        e.tls(),
        e.authUser(),
        e.envid(),
        e.ret(),
        e.receivedAt(),
        e.size(),
        e.routingHeaders());
  }
}
