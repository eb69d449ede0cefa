package dev.sluice.relay.queue;

import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventSink;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An operator's actions on one queued message: try it now, bounce it, or delete it; and trying many
 * at once ({@link #retryAll}). Each action on one message acts only on a message waiting for its
 * next attempt: one with a round of attempts under way is refused ({@link Result#BUSY}) rather than
 * raced, since its outcome is being written by the scheduler; the operator asks again once the
 * round ends. Thread-safe.
 */
public final class MessageActions {
  private static final System.Logger LOG = System.getLogger("dev.sluice.delivery");

  private final Scheduler scheduler;
  private final Spool spool;
  private final Reporter reporter;
  private final EventSink events;
  private final Clock clock;

  /** What became of the action. */
  public enum Result {
    DONE,
    /** A round of attempts is under way on the message (or it was just stored): ask again. */
    BUSY,
    NOT_FOUND
  }

  /**
   * @param reporter writes the DSN of a bounced message (the same path as any bounce)
   * @param events gets a {@code bounced} event (category {@code operator}) per recipient bounced
   */
  public MessageActions(
      Scheduler scheduler, Spool spool, Reporter reporter, EventSink events, Clock clock) {
    this.scheduler = scheduler;
    this.spool = spool;
    this.reporter = reporter;
    this.events = events;
    this.clock = clock;
  }

  /** Starts a round of attempts on the message now, whatever its next attempt said. */
  public CompletableFuture<Result> retry(MessageId id) {
    return act(
        id,
        entry -> {
          LOG.log(Level.INFO, "retry id={0}: requested by operator", id.value());
          scheduler.submit(entry);
          return CompletableFuture.completedFuture(null);
        });
  }

  /**
   * Starts a round of attempts now on every message waiting for a later attempt that {@code which}
   * selects (an operator's "flush", after an outage ends); one log line says what was done.
   *
   * @param described the selection, for the log ("every queued message", "the messages to …")
   */
  public CompletableFuture<Scheduler.RetryNow> retryAll(
      Predicate<SpoolEntry> which, String described) {
    return scheduler
        .retryNow(which)
        .thenApply(
            r -> {
              LOG.log(
                  Level.INFO,
                  "retry of {0}: requested by operator; {1} messages retried now, {2} in flight",
                  described,
                  r.retried(),
                  r.inFlight());
              return r;
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
            events.accept(
                Event.of("bounced", clock.instant())
                    .with("message_id", id.value())
                    .with("tenant", entry.envelope().tenant())
                    .with("recipient", r.address())
                    .with("reply", reply.toString())
                    .with("category", "operator")
                    .build());
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
          LOG.log(
              Level.WARNING,
              "deleted id={0}: by operator, without a DSN; recipients left: {1}",
              id.value(),
              entry.envelope().recipients().size());
          return spool.remove(id);
        });
  }

  private CompletableFuture<Result> act(
      MessageId id, Function<SpoolEntry, CompletableFuture<Void>> action) {
    return scheduler
        .withdraw(id)
        .thenCompose(
            w -> {
              if (w instanceof Withdrawal.Taken taken) {
                return start(action, taken.entry())
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

  /**
   * Runs {@code action}, an exception it throws becoming the failed future: the message is out of
   * the retry queue by then, and only a failed future puts it back.
   */
  private static CompletableFuture<Void> start(
      Function<SpoolEntry, CompletableFuture<Void>> action, SpoolEntry entry) {
    try {
      return action.apply(entry);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
