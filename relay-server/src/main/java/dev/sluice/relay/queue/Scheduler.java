package dev.sluice.relay.queue;

import dev.sluice.relay.events.EventSink;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolException;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.Decision;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RouteAction;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.traffic.AttemptReport;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.Suspension;
import dev.sluice.routing.traffic.TrafficControl;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Moves every queued message toward its end: routes each recipient (again at every attempt, so a
 * member that went down since is skipped), puts the recipients in ready queues per (member,
 * destination) by priority, starts attempts within the connection limits, fails over to the next
 * member and the pool's fallbacks when a path fails, and keeps what is left in the retry queue
 * until it is delivered, bounced or expired.
 *
 * <p>Everything it decides happens on its own single thread, so its queues and counters need no
 * locks; the spool and the delivery agent call back onto that thread. The spool is the truth: the
 * scheduler only writes a message's record once the round of attempts on it is over, so a crash
 * repeats at most that round (at-least-once delivery).
 */
public final class Scheduler implements AutoCloseable {
  private static final Duration IDLE_WAKE = Duration.ofMinutes(1);

  private final Spool spool;
  private Router router;
  private final DeliveryAgent agent;
  private final DestinationResolver destinations;
  private final Reporter reporter;
  private final BodyPreparer bodies;
  private final SchedulerSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final TrafficGate gate;
  private final TrafficControl traffic;
  private final InFlight inFlight;
  private final DeliveryEvents events;
  private final JobOutcomes outcomes;
  private final RecipientRouting routing;
  private final ReadyQueues ready = new ReadyQueues();
  private final DeliveryActivity activity = new DeliveryActivity();
  private final RetryQueue retries = new RetryQueue();
  private final Map<MessageId, MessageJob> active = new HashMap<>();
  private final ArrayDeque<SpoolEntry> waiting = new ArrayDeque<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private ScheduledFuture<?> wake;
  private Instant wakeAt;
  private long seq;
  private boolean closing;
  private final java.util.concurrent.atomic.AtomicBoolean shutdownRequested =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param bodies turns the spooled text into what an attempt sends (a DKIM signature when the rule
   *     asks), or refuses to
   * @param traffic quotas, rate limits, warmup and health: who may take traffic, and how much
   * @param events where routed, attempt, delivered, deferred, bounced and expired events go
   */
  public Scheduler(
      Spool spool,
      Router router,
      DeliveryAgent agent,
      DestinationResolver destinations,
      Reporter reporter,
      BodyPreparer bodies,
      SchedulerSettings settings,
      TrafficControl traffic,
      EventSink events,
      Clock clock) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.router = Objects.requireNonNull(router, "router");
    this.agent = Objects.requireNonNull(agent, "agent");
    this.destinations = Objects.requireNonNull(destinations, "destinations");
    this.reporter = Objects.requireNonNull(reporter, "reporter");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.traffic = Objects.requireNonNull(traffic, "traffic");
    this.gate = new TrafficGate(traffic);
    this.events = new DeliveryEvents(Objects.requireNonNull(events, "events"), clock);
    this.outcomes = new JobOutcomes(this.events);
    this.routing = new RecipientRouting(traffic, outcomes, activity);
    this.inFlight =
        new InFlight(settings.maxConnections(), settings.maxConnectionsPerDestination());
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "sluice-scheduler");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    this.thread = t;
  }

  /**
   * Takes over the messages found in the spool at start: each waits until its next attempt is due,
   * or starts now.
   */
  public void recover(Collection<SpoolEntry> entries) {
    thread.execute(
        () -> {
          Instant now = clock.instant();
          for (SpoolEntry e : entries) {
            Instant next = DeliveryState.of(e.state()).nextAttempt();
            retries.add(e, next == null || next.isBefore(now) ? now : next);
          }
          wakeUp();
        });
  }

  /** A message just stored (by the ingress, or a DSN): its first attempt starts now. */
  public void submit(SpoolEntry entry) {
    thread.execute(() -> start(entry));
  }

  /** Messages in the retry queue, in ready queues, and being attempted. */
  public CompletableFuture<QueueSummary> summary() {
    return CompletableFuture.supplyAsync(
        () ->
            new QueueSummary(
                retries.size() + waiting.size(),
                ready.size(),
                inFlight.total(),
                active.size(),
                ready.depths(),
                ready.oldest()),
        thread);
  }

  /**
   * Reads traffic control's live state (member health, quotas, suspensions) on the scheduler's
   * thread, which owns it.
   */
  public <T> CompletableFuture<T> traffic(Function<TrafficControl, T> read) {
    return CompletableFuture.supplyAsync(() -> read.apply(traffic), thread);
  }

  /** Reads what the scheduler recently did (rates, connections, histories) on its thread. */
  public <T> CompletableFuture<T> activity(Function<DeliveryActivity, T> read) {
    return CompletableFuture.supplyAsync(() -> read.apply(activity), thread);
  }

  /** The messages a round of attempts is under way on. */
  public CompletableFuture<java.util.Set<MessageId>> activeIds() {
    return CompletableFuture.supplyAsync(() -> java.util.Set.copyOf(active.keySet()), thread);
  }

  /**
   * Starts now the messages waiting for a later attempt that {@code which} selects (an operator's
   * flush), in one pass on the scheduler's thread; they start as any due message does, within
   * {@code max_active_messages}. Selected messages already under way, or due and waiting for room
   * to start, are counted as in flight.
   */
  public CompletableFuture<RetryNow> retryNow(Predicate<SpoolEntry> which) {
    return CompletableFuture.supplyAsync(
        () -> {
          int inFlight = 0;
          for (MessageJob job : active.values()) {
            inFlight += which.test(job.entry) ? 1 : 0;
          }
          for (SpoolEntry e : waiting) {
            inFlight += which.test(e) ? 1 : 0;
          }
          List<SpoolEntry> due = retries.takeMatching(which);
          due.forEach(this::start);
          dispatch();
          scheduleWake();
          return new RetryNow(due.size(), inFlight);
        },
        thread);
  }

  /**
   * What {@link #retryNow} did.
   *
   * @param retried messages that waited for a later attempt and start now
   * @param inFlight selected messages that were under way or about to start already
   */
  public record RetryNow(int retried, int inFlight) {}

  /**
   * Lets go of a message waiting for its next attempt, for an operator's action on it (retry now,
   * bounce, delete); a message with a round under way is kept ({@link Withdrawal.Busy}). Whoever
   * takes it must {@link #submit} or {@link #recover} it again, or remove it from the spool.
   */
  public CompletableFuture<Withdrawal> withdraw(MessageId id) {
    return CompletableFuture.supplyAsync(
        () -> {
          if (active.containsKey(id)) {
            return new Withdrawal.Busy();
          }
          Optional<SpoolEntry> queued = retries.remove(id);
          if (queued.isEmpty()) {
            queued = waiting.stream().filter(e -> e.id().equals(id)).findFirst();
            queued.ifPresent(waiting::remove);
          }
          return queued.<Withdrawal>map(Withdrawal.Taken::new).orElseGet(Withdrawal.Absent::new);
        },
        thread);
  }

  /**
   * Routes with {@code next} from now on (a reloaded policy, or new operator overrides), on the
   * scheduler's thread: traffic control keeps what it learned, and batches waiting in ready queues
   * are routed again under the new policy; attempts in flight finish as they were decided.
   *
   * @param holds the operators' suspensions in force
   */
  public CompletableFuture<Void> reconfigure(Router next, Collection<Suspension> holds) {
    return CompletableFuture.runAsync(
        () -> {
          router = next;
          traffic.reconfigure(next.config(), holds);
          if (!closing) {
            ready.keys().forEach(this::rerouteWaiting);
            dispatch();
            scheduleWake();
          }
        },
        thread);
  }

  private void start(SpoolEntry entry) {
    if (closing) {
      return; // it stays in the spool as it is, and is taken over at the next start
    }
    if (active.containsKey(entry.id())) {
      return;
    }
    if (active.size() >= settings.maxActiveMessages()) {
      waiting.add(entry);
      return;
    }
    ByteBuffer body;
    try {
      body = spool.readBody(entry.id());
    } catch (SpoolException e) {
      // The spool quarantined it (damaged body) or it is gone: nothing left to deliver.
      events.problem(Level.WARNING, "dropped", entry.id(), e.getMessage());
      return;
    } catch (IOException e) {
      events.problem(Level.WARNING, "read_failed", entry.id(), e.toString());
      retries.add(entry, clock.instant().plus(settings.retry().delayAfter(1)));
      scheduleWake();
      return;
    }
    DeliveryState state = DeliveryState.of(entry.state());
    MessageJob job =
        new MessageJob(
            entry, state, body, MessageHeaders.read(body, entry.envelope().routingHeaders()));
    active.put(entry.id(), job);
    // Even past max_age the attempt is made: the last retry is due at that very moment, and a
    // message found late after an outage deserves one; RoundEnd expires what it leaves deferred.
    route(job, entry.envelope().recipients(), Map.of(), true);
  }

  /**
   * Routes recipients of a job and queues them; those no path can take now are deferred, with the
   * failure that sent them here when there was one ({@link RecipientRouting}).
   */
  private void route(
      MessageJob job,
      List<SpoolRecipient> recipients,
      Map<SpoolRecipient, RecipientOutcome> failures,
      boolean fresh) {
    for (RecipientRouting.Group g :
        routing.route(router, job, recipients, failures, fresh, clock.instant())) {
      Decision.Deliver decision = g.decision();
      job.open++;
      CompletableFuture<String> destination =
          g.domain().isEmpty()
              ? CompletableFuture.completedFuture(decision.destination())
              : destinations.destinationOf(
                  decision.member(), g.domain().get(), decision.destination());
      destination.whenCompleteAsync(
          (dest, error) -> {
            job.open--;
            enqueue(job, dest == null ? decision.destination() : dest, g);
            afterChange(job);
          },
          thread);
    }
    afterChange(job);
  }

  private void enqueue(MessageJob job, String destination, RecipientRouting.Group group) {
    Decision.Deliver decision = group.decision();
    List<SpoolRecipient> all = group.recipients();
    if (!closing) {
      events.routed(job, decision, destination, all.size());
    }
    int max =
        (int)
            Math.min(
                settings.maxRecipientsPerTransaction(),
                traffic.largestBatch(decision.member(), destination, clock.instant()));
    for (int i = 0; i < all.size(); i += max) {
      List<SpoolRecipient> part = all.subList(i, Math.min(all.size(), i + max));
      if (closing) {
        job.untried.addAll(part);
        continue;
      }
      job.open++;
      ready.add(new Batch(job, decision, destination, group.domain(), List.copyOf(part), seq++));
    }
  }

  /** Starts as many waiting batches as the limits allow, most urgent first. */
  private void dispatch() {
    if (ready.size() == 0) {
      return;
    }
    Instant now = clock.instant();
    Eligibility live = traffic.eligibility(now);
    List<Batch> memberOut = new ArrayList<>();
    Map<Batch, SmtpReply> refused = new LinkedHashMap<>();
    boolean blocked = false;
    for (PriorityQueue<Batch> queue : ready.byUrgency()) {
      Batch head = queue.peek();
      MemberConfig member = head.decision().member();
      while (!queue.isEmpty()
          && !gate.blocked(head.key(), now)
          && inFlight.allows(member, head.destination(), router.config(), traffic)) {
        // The text first: a batch whose text cannot be sent takes no quota, allowance or rate.
        BodyPreparer.Prepared text = prepared(queue.peek());
        if (text instanceof BodyPreparer.Refused no) {
          refused.put(ready.poll(queue), no.reply());
          continue;
        }
        TrafficGate.Verdict verdict = gate.admit(queue.peek(), live, now);
        switch (verdict.kind()) {
          case ADMITTED ->
              launch(ready.poll(queue), ((BodyPreparer.Ready) text).body(), verdict.quotas());
          case REROUTE -> memberOut.add(ready.poll(queue));
          case WAIT -> blocked = true;
        }
      }
    }
    refused.forEach(
        (b, reply) -> {
          b.job().open--;
          for (SpoolRecipient r : b.recipients()) {
            outcomes.defer(b.job(), r, reply);
          }
          afterChange(b.job());
        });
    // The member is out for these since they were routed (quota or warmup allowance used up,
    // perhaps by another node): route them again without it.
    for (Batch b : memberOut) {
      b.job().pathFailed(b.decision().member(), b.decision().destination());
      b.job().open--;
      route(b.job(), b.recipients(), Map.of(), false);
    }
    if (blocked) {
      scheduleWake(); // to dispatch again when the rate limit has refilled
    }
  }

  /** The text the batch's rule sends, made once per job and DKIM policy. */
  private BodyPreparer.Prepared prepared(Batch batch) {
    MessageJob job = batch.job();
    RouteAction.DkimPolicy dkim = batch.decision().route().dkim();
    return job.prepared(dkim, () -> bodies.prepare(job.entry, job.body, dkim));
  }

  private void launch(Batch batch, ByteBuffer body, List<Charge.Quota> quotas) {
    MessageJob job = batch.job();
    MemberConfig member = batch.decision().member();
    inFlight.add(member, batch.destination());
    activity.started(member.name());
    Attempt attempt =
        new Attempt(
            job.entry.id(),
            job.entry.envelope(),
            member,
            batch.destination(),
            batch.domain(),
            batch.recipients(),
            body,
            batch.decision().route());
    CompletableFuture<AttemptResult> result;
    Instant started = clock.instant();
    try {
      result = agent.deliver(attempt);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenCompleteAsync((r, error) -> attempted(batch, quotas, started, r, error), thread);
  }

  private void attempted(
      Batch batch,
      List<Charge.Quota> quotas,
      Instant started,
      AttemptResult result,
      Throwable error) {
    MessageJob job = batch.job();
    MemberConfig member = batch.decision().member();
    DeliveryEvents.Via via = DeliveryEvents.Via.of(batch);
    inFlight.remove(member, batch.destination());
    job.open--;
    if (error != null) {
      // The agent broke its promise to always answer: treat it as a failure of the path.
      events.problem(Level.ERROR, "attempt_failed", job.entry.id(), error.toString());
      SmtpReply reply = SmtpReply.of(451, "4.3.0", "Local error in delivery: " + error);
      List<RecipientOutcome> outcomes = new ArrayList<>();
      for (SpoolRecipient r : batch.recipients()) {
        outcomes.add(
            new RecipientOutcome(r, Disposition.NEXT_HOST, Stage.CONNECT, reply, "", false));
      }
      result = new AttemptResult(outcomes, Optional.of(reply.toString()));
    }
    events.attempt(batch, result, started);
    Instant now = clock.instant();
    activity.attempted(
        job.entry.id(), batch.decision().pool(), member.name(), batch.destination(), result, now);
    Map<String, String> bounceNow = traffic.observe(report(batch, result), now);
    traffic.refund(quotas, notHandedOver(result), now);
    if (result.pathFailure().isPresent()
        && traffic.eligibility(now).check(member, batch.destination())
            instanceof MemberVerdict.Ineligible) {
      // The member is out now: batches waiting for it go elsewhere at once.
      for (Batch.QueueKey key : ready.keys()) {
        boolean sameMember = key.member().equals(member.name());
        if (sameMember
            && (member.relay().isPresent() || key.destination().equals(batch.destination()))) {
          rerouteWaiting(key);
        }
      }
      scheduleWake(); // for its recheck
    }
    Map<SpoolRecipient, RecipientOutcome> failover = new LinkedHashMap<>();
    for (RecipientOutcome outcome : result.outcomes()) {
      String address = outcome.recipient().address();
      RecipientOutcome o =
          bounceNow.containsKey(address) && outcome.disposition() != Disposition.DELIVERED
              ? new RecipientOutcome(
                  outcome.recipient(),
                  Disposition.BOUNCE,
                  outcome.stage(),
                  outcome.reply(),
                  outcome.host(),
                  outcome.dsnPassedOn())
              : outcome;
      switch (o.disposition()) {
        case DELIVERED -> {
          job.delivered.add(o);
          events.delivered(batch, o);
        }
        case BOUNCE -> outcomes.bounce(job, o, batch.decision().tenant(), via);
        case DEFER, SPLIT -> outcomes.deferred(job, o, via, batch.decision().tenant());
        case NEXT_HOST -> failover.put(o.recipient(), o);
      }
    }
    if (!failover.isEmpty()) {
      // Keyed as routing sees it (before MX rollup), so the next routing skips this member.
      job.pathFailed(member, batch.decision().destination());
      if (closing) {
        for (RecipientOutcome o : failover.values()) {
          outcomes.deferred(job, o, via, batch.decision().tenant());
        }
      } else {
        route(job, List.copyOf(failover.keySet()), failover, false);
        return;
      }
    }
    afterChange(job);
  }

  /** Batches waiting on a path that just failed are routed again: they go elsewhere at once. */
  private void rerouteWaiting(Batch.QueueKey key) {
    gate.emptied(key);
    for (Batch b : ready.drain(key)) {
      b.job().open--;
      route(b.job(), b.recipients(), Map.of(), false);
    }
  }

  /** What traffic control learns from an attempt: per recipient, delivered, bounced or not. */
  private static AttemptReport report(Batch batch, AttemptResult result) {
    List<AttemptReport.Result> results = new ArrayList<>();
    for (RecipientOutcome o : result.outcomes()) {
      AttemptReport.Outcome outcome =
          switch (o.disposition()) {
            case DELIVERED -> AttemptReport.Outcome.DELIVERED;
            case BOUNCE -> AttemptReport.Outcome.BOUNCED;
            case DEFER, NEXT_HOST -> AttemptReport.Outcome.DEFERRED;
            case SPLIT -> AttemptReport.Outcome.UNTRIED;
          };
      results.add(
          new AttemptReport.Result(
              o.recipient().address(), outcome, o.reply().code(), o.reply().toString()));
    }
    return new AttemptReport(
        batch.decision().member(),
        batch.destination(),
        batch.decision().tenant(),
        result.pathFailure(),
        results);
  }

  /** Recipients the receiver neither accepted nor refused: their quota is given back. */
  private static long notHandedOver(AttemptResult result) {
    return result.outcomes().stream()
        .filter(
            o -> o.disposition() != Disposition.DELIVERED && o.disposition() != Disposition.BOUNCE)
        .count();
  }

  /** After any change to a job: finish it when it is settled, then start what can start. */
  private void afterChange(MessageJob job) {
    if (job.settled() && active.get(job.entry.id()) == job && !job.finishing) {
      finish(job);
    }
    dispatch();
  }

  /**
   * The round is over: report bounces (DSN, suppression), then write the spool record once —
   * removed when every recipient is done, else the remaining recipients with their next attempt.
   */
  private void finish(MessageJob job) {
    job.finishing = true;
    RoundEnd end = RoundEnd.of(job, settings.retry(), clock.instant());
    for (Bounce b : end.expired()) {
      events.expired(job, b.outcome());
      job.bounced.add(b);
    }
    SpoolEntry remaining = end.remaining();
    reporter
        .report(new JobReport(job.entry, job.delivered, job.bounced))
        .thenCompose(
            done ->
                remaining == null
                    ? spool.remove(job.entry.id()).thenApply(v -> (SpoolEntry) null)
                    : spool.update(remaining).thenApply(v -> remaining))
        .whenCompleteAsync(
            (updated, error) -> {
              active.remove(job.entry.id());
              if (error != null) {
                // The record is unchanged in the spool: the round is repeated later (a recipient
                // delivered in it may get the message twice; none is lost).
                events.problem(Level.ERROR, "spool_write_failed", job.entry.id(), error.toString());
                if (!closing) {
                  retries.add(job.entry, clock.instant().plus(settings.retry().delayAfter(1)));
                  scheduleWake();
                }
              } else if (updated != null && !closing) {
                retries.add(updated, end.next());
                scheduleWake();
              }
              startWaiting();
              if (closing && active.isEmpty()) {
                drained.complete(null);
              }
            },
            thread);
  }

  private void startWaiting() {
    while (!closing && !waiting.isEmpty() && active.size() < settings.maxActiveMessages()) {
      start(waiting.poll());
    }
  }

  /** Starts what is due in the retry queue and sets the timer for the next one. */
  private void wakeUp() {
    wake = null;
    wakeAt = null;
    if (closing) {
      return;
    }
    Instant now = clock.instant();
    traffic.tick(now);
    for (MemberConfig m : traffic.probesDue(now)) {
      agent
          .probe(m)
          .whenCompleteAsync(
              (failure, error) ->
                  traffic.probed(
                      m,
                      error == null && failure.isEmpty(),
                      error != null ? error.toString() : failure.orElse("probe ok"),
                      clock.instant()),
              thread);
    }
    for (SpoolEntry e : retries.takeDue(now)) {
      start(e);
    }
    dispatch();
    scheduleWake();
  }

  private void scheduleWake() {
    if (closing) {
      return;
    }
    Instant now = clock.instant();
    Instant at = retries.earliest().orElse(now.plus(IDLE_WAKE));
    Optional<Instant> traffic = gate.nextChange(now);
    if (traffic.isPresent() && traffic.get().isBefore(at)) {
      at = traffic.get();
    }
    if (wake != null && wakeAt != null && !at.isBefore(wakeAt)) {
      return;
    }
    if (wake != null) {
      wake.cancel(false);
    }
    long delay = Math.max(0, Duration.between(now, at).toMillis());
    wakeAt = at;
    wake = thread.schedule(this::wakeUp, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Begins shutdown: no attempt starts from now on, waiting batches are set aside untried, and
   * attempts in flight finish. The future completes once every job is written to the spool.
   */
  public CompletableFuture<Void> shutdown() {
    if (shutdownRequested.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            closing = true;
            if (wake != null) {
              wake.cancel(false);
            }
            for (Batch b : ready.drainAll()) {
              b.job().open--;
              b.job().untried.addAll(b.recipients());
            }
            for (MessageJob job : List.copyOf(active.values())) {
              if (job.settled() && !job.finishing) {
                finish(job);
              }
            }
            if (active.isEmpty()) {
              drained.complete(null);
            }
          });
    }
    return drained;
  }

  /**
   * Shuts down ({@link #shutdown}) and gives attempts in flight the shutdown grace to finish and be
   * written. An attempt still running after that is abandoned unwritten: its message keeps its
   * spool record as it was and is tried again at the next start (at-least-once: a recipient the
   * abandoned attempt did reach may get the message twice). Returns so the spool can close.
   */
  @Override
  public void close() {
    try {
      shutdown().get(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.getLogger(Scheduler.class.getName())
          .log(
              Level.WARNING,
              "attempts still in flight after the shutdown grace; their messages are tried again"
                  + " at the next start");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
    agent.close();
    thread.shutdown();
  }
}
