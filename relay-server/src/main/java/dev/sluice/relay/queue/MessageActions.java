package dev.sluice.relay.queue;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An operator's actions on one queued message: try it now, bounce it, or delete it. Each acts only
 * on a message waiting for its next attempt: one with a round of attempts under way is refused
 * ({@link Result#BUSY}) rather than raced, since its outcome is being written by the scheduler; the
 * operator asks again once the round ends. Thread-safe.
 */
public final class MessageActions {
  private final Scheduler scheduler;
  private final Spool spool;
  private final Reporter reporter;

  /** What became of the action. */
  public enum Result {
    DONE,
    /** A round of attempts is under way on the message (or it was just stored): ask again. */
    BUSY,
    NOT_FOUND
  }

  /**
   * @param reporter writes the DSN of a bounced message (the same path as any bounce)
   */
  public MessageActions(Scheduler scheduler, Spool spool, Reporter reporter) {
    this.scheduler = scheduler;
    this.spool = spool;
    this.reporter = reporter;
  }

  /** Starts a round of attempts on the message now, whatever its next attempt said. */
  public CompletableFuture<Result> retry(MessageId id) {
    return act(
        id,
        entry -> {
          DeliveryLog.message(Level.INFO, "retry", id, "retry requested by operator");
          scheduler.submit(entry);
          return CompletableFuture.completedFuture(null);
        });
  }

  /**
   * Bounces every recipient left ({@code 554 5.0.0 Bounced by operator}): the sender gets a DSN as
   * for any bounce, then the message leaves the spool.
   */
  public CompletableFuture<Result> bounce(MessageId id, String reason) {
    return act(
        id,
        entry -> {
          SmtpReply reply =
              SmtpReply.of(
                  554,
                  "5.0.0",
                  "Bounced by operator" + (reason.isBlank() ? "" : ": " + reason.strip()));
          List<Bounce> bounces = new ArrayList<>();
          for (SpoolRecipient r : entry.envelope().recipients()) {
            bounces.add(
                new Bounce(
                    new RecipientOutcome(r, Disposition.BOUNCE, Stage.DNS, reply, "", false),
                    Optional.ofNullable(entry.envelope().tenant()),
                    false));
            DeliveryLog.recipient("bounced", id, r.address(), "", reply.toString());
          }
          return reporter
              .report(new JobReport(entry, List.of(), bounces))
              .thenCompose(v -> spool.remove(id));
        });
  }

  /** Removes the message from the queue and the spool; no DSN is sent. */
  public CompletableFuture<Result> delete(MessageId id) {
    return act(
        id,
        entry -> {
          DeliveryLog.message(
              Level.WARNING,
              "deleted",
              id,
              "deleted by operator without a DSN; recipients left: "
                  + entry.envelope().recipients().size());
          return spool.remove(id);
        });
  }

  private CompletableFuture<Result> act(
      MessageId id, java.util.function.Function<SpoolEntry, CompletableFuture<Void>> action) {
    return scheduler
        .withdraw(id)
        .thenCompose(
            w -> {
              if (w instanceof Withdrawal.Taken taken) {
                return action
                    .apply(taken.entry())
                    .handle(
                        (v, error) -> {
                          if (error != null) {
                            // The spool still holds it: back to the retry queue, nothing lost.
                            scheduler.recover(List.of(taken.entry()));
                            throw new java.util.concurrent.CompletionException(error);
                          }
                          return Result.DONE;
                        });
              }
              if (w instanceof Withdrawal.Busy) {
                return CompletableFuture.completedFuture(Result.BUSY);
              }
              boolean stored = spool.entries().stream().anyMatch(e -> e.id().equals(id));
              return CompletableFuture.completedFuture(stored ? Result.BUSY : Result.NOT_FOUND);
            });
  }
}
