package dev.sluice.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.events.EventSink;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SegmentSpool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolOptions;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.relay.testing.Await;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RouteAction.DkimPolicy;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import dev.sluice.routing.retry.RetrySchedule;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.testing.Policies;
import dev.sluice.routing.traffic.HealthState;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.traffic.TrafficControl;
import dev.sluice.routing.traffic.TrafficEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler against a real spool and a scripted delivery agent: what it decides (failover,
 * retry, expiry, priority, shutdown), not how SMTP is spoken.
 */
class SchedulerTest {
  private static final String POLICY =
      """
      pools:
        main:
          members:
            - { name: primary, weight: 100, relay: { host: primary.example, tls: none } }
            - { name: backup, weight: 1, relay: { host: backup.example, tls: none } }
          fallback: [last]
        last:
          members:
            - { name: last-resort, relay: { host: last.example, tls: none } }
      rules:
        - { name: urgent, match: { message_type: transactional }, route: { pool: main, priority: 1 } }
        - { name: default, route: { pool: main, priority: 7 } }
      """;

  @TempDir Path dir;
  private SegmentSpool spool;
  private Scheduler scheduler;
  private final ScriptedAgent agent = new ScriptedAgent();
  private final List<JobReport> reports = Collections.synchronizedList(new ArrayList<>());
  private Clock clock = Clock.systemUTC();
  private BodyPreparer bodies = BodyPreparer.AS_IS;

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (spool != null) {
      spool.close();
    }
  }

  private void start(SchedulerSettings settings) throws Exception {
    start(settings, POLICY, DestinationResolver.BY_DOMAIN);
  }

  private void start(SchedulerSettings settings, String policy, DestinationResolver destinations)
      throws Exception {
    spool = SegmentSpool.open(dir, SpoolOptions.defaults(), Clock.systemUTC());
    Router router = new Router(Policies.parse(policy));
    scheduler =
        new Scheduler(
            spool,
            router,
            agent,
            destinations,
            r -> {
              reports.add(r);
              return CompletableFuture.completedFuture(null);
            },
            bodies,
            settings,
            new TrafficControl(router.config(), new LocalTrafficStore(), TrafficEvent.Sink.NONE),
            EventSink.NONE,
            clock);
  }

  private static SchedulerSettings settings(Duration retry, Duration maxAge, int maxConnections) {
    return new SchedulerSettings(
        new RetrySchedule(List.of(retry), maxAge),
        maxConnections,
        maxConnections,
        1000,
        100,
        Duration.ofSeconds(5));
  }

  private SpoolEntry store(String type, String... recipients) throws Exception {
    String text =
        "Subject: test\r\n"
            + (type == null ? "" : "X-Message-Type: " + type + "\r\n")
            + "\r\nhello\r\n";
    byte[] body = text.getBytes(StandardCharsets.US_ASCII);
    List<SpoolRecipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(SpoolRecipient.of(r));
    }
    SpoolEnvelope envelope =
        new SpoolEnvelope(
            "app@example.com",
            rcpts,
            null,
            "127.0.0.1",
            "client.example",
            null,
            null,
            null,
            null,
            Instant.now(),
            body.length,
            Map.of());
    return spool.store(envelope, ByteBuffer.wrap(body)).get();
  }

  @Test
  void aDeliveredMessageLeavesTheSpool() throws Exception {
    start(settings(Duration.ofMinutes(5), Duration.ofDays(1), 10));
    SpoolEntry e = store(null, "a@example.net", "b@example.net");
    scheduler.submit(e);
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.attempts).hasSize(1);
    assertThat(agent.attempts.peek().member().name()).isEqualTo("primary");
    assertThat(agent.attempts.peek().recipients()).hasSize(2);
    assertThat(reports).singleElement().satisfies(r -> assertThat(r.delivered()).hasSize(2));
  }

  @Test
  void failsOverToTheNextMemberWhenThePrimaryPathFailsAndKeepsSkippingIt() throws Exception {
    agent.script =
        a ->
            a.member().name().equals("primary")
                ? AttemptResults.pathDown(a, "421 4.3.2 busy")
                : null;
    start(settings(Duration.ofMinutes(5), Duration.ofDays(1), 10));
    scheduler.submit(store(null, "a@example.net"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.members()).containsExactly("primary", "backup");
    scheduler.submit(store(null, "b@example.net"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.members()).containsExactly("primary", "backup", "backup");
  }

  @Test
  void whenEveryPoolFailsTheMessageWaitsInTheRetryQueueAndIsDeliveredWhenAPathReturns()
      throws Exception {
    agent.script = a -> AttemptResults.all(a, Disposition.NEXT_HOST, 421, "4.3.2", "down");
    start(settings(Duration.ofMillis(200), Duration.ofDays(1), 10));
    SpoolEntry e = store(null, "a@example.net");
    scheduler.submit(e);
    Await.until(
        "the first attempt is recorded",
        () -> DeliveryState.of(spool.entries().iterator().next().state()).attempts() == 1);
    assertThat(agent.members()).containsExactly("primary", "backup", "last-resort");
    DeliveryState state = DeliveryState.of(spool.entries().iterator().next().state());
    assertThat(state.lastError()).contains("421");
    assertThat(state.nextAttempt()).isAfter(Instant.now().minusSeconds(1));
    agent.script = a -> null; // every path is back
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(reports.get(reports.size() - 1).delivered()).hasSize(1);
  }

  @Test
  void retryNowStartsTheSelectedDeferredMessagesAndLeavesTheOthersToTheirBackoff()
      throws Exception {
    agent.script = a -> AttemptResults.all(a, Disposition.DEFER, 451, "4.7.1", "greylisted");
    start(settings(Duration.ofHours(1), Duration.ofDays(1), 10));
    SpoolEntry net = store(null, "a@example.net");
    SpoolEntry org = store(null, "b@example.org");
    scheduler.submit(net);
    scheduler.submit(org);
    Await.until("both are deferred", () -> attempts(net) == 1 && attempts(org) == 1);
    awaitNoRoundUnderWay();

    Scheduler.RetryNow r =
        scheduler
            .retryNow(e -> e.envelope().recipients().get(0).address().endsWith("@example.net"))
            .get(10, TimeUnit.SECONDS);

    assertThat(r).isEqualTo(new Scheduler.RetryNow(1, 0));
    Await.until("the selected message is tried again", () -> attempts(net) == 2);
    assertThat(attempts(org)).as("the other waits for its hour").isEqualTo(1);
    awaitNoRoundUnderWay();
    assertThat(scheduler.retryNow(e -> true).get(10, TimeUnit.SECONDS).retried()).isEqualTo(2);
    Await.until("both are tried again", () -> attempts(net) == 3 && attempts(org) == 2);
  }

  @Test
  void anOperatorActionThatThrowsPutsTheMessageBackInTheRetryQueue() throws Exception {
    agent.script = a -> AttemptResults.all(a, Disposition.DEFER, 451, "4.7.1", "greylisted");
    start(settings(Duration.ofHours(1), Duration.ofDays(1), 10));
    MessageActions actions =
        new MessageActions(
            scheduler,
            spool,
            r -> CompletableFuture.completedFuture(null),
            EventSink.NONE,
            Clock.systemUTC());
    SpoolEntry e = store(null, "a@example.net");
    scheduler.submit(e);
    Await.until("it is deferred", () -> attempts(e) == 1);
    awaitNoRoundUnderWay();

    // A reply text with a line break is refused by SmtpReply as the bounce is being built.
    assertThat(actions.bounce(e.id(), "line one\nline two"))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withRootCauseInstanceOf(IllegalArgumentException.class);

    assertThat(actions.retry(e.id()).get(10, TimeUnit.SECONDS))
        .isEqualTo(MessageActions.Result.DONE);
    Await.until("it is tried again", () -> attempts(e) == 2);
  }

  private void awaitNoRoundUnderWay() {
    Await.until("no round under way", () -> scheduler.activeIds().join().isEmpty());
  }

  private int attempts(SpoolEntry e) {
    return spool.entries().stream()
        .filter(x -> x.id().equals(e.id()))
        .mapToInt(x -> DeliveryState.of(x.state()).attempts())
        .findFirst()
        .orElse(-1);
  }

  @Test
  void aPermanentFailureBouncesOnlyThatRecipientAndTheOthersAreDelivered() throws Exception {
    agent.script =
        a ->
            new AttemptResult(
                a.recipients().stream()
                    .map(
                        r ->
                            r.address().startsWith("bad")
                                ? AttemptResults.outcome(
                                    r, Disposition.BOUNCE, 550, "5.1.1", "no such user")
                                : AttemptResults.outcome(
                                    r, Disposition.DELIVERED, 250, "2.0.0", "ok"))
                    .toList(),
                Optional.empty());
    start(settings(Duration.ofMinutes(5), Duration.ofDays(1), 10));
    scheduler.submit(store(null, "good@example.net", "bad@example.net"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    JobReport r = reports.get(0);
    assertThat(r.delivered())
        .extracting(o -> o.recipient().address())
        .containsExactly("good@example.net");
    assertThat(r.bounced())
        .extracting(b -> b.outcome().recipient().address())
        .containsExactly("bad@example.net");
    assertThat(r.bounced().get(0).expired()).isFalse();
  }

  @Test
  void aDeferredRecipientIsRetriedAloneAndTheDeliveredOneIsNotSentTwice() throws Exception {
    agent.script =
        a ->
            new AttemptResult(
                a.recipients().stream()
                    .map(
                        r ->
                            r.address().startsWith("slow") && agent.attempts.size() == 1
                                ? AttemptResults.outcome(
                                    r, Disposition.DEFER, 451, "4.7.1", "greylisted")
                                : AttemptResults.outcome(
                                    r, Disposition.DELIVERED, 250, "2.0.0", "ok"))
                    .toList(),
                Optional.empty());
    start(settings(Duration.ofMillis(100), Duration.ofDays(1), 10));
    scheduler.submit(store(null, "fast@example.net", "slow@example.net"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.attempts).hasSize(2);
    assertThat(new ArrayList<>(agent.attempts).get(1).recipients())
        .extracting(SpoolRecipient::address)
        .containsExactly("slow@example.net");
  }

  @Test
  void aMessageThatOutlivesTheQueueExpiresWithItsLastError() throws Exception {
    agent.script = a -> AttemptResults.all(a, Disposition.DEFER, 451, "4.7.1", "greylisted");
    start(settings(Duration.ofMillis(100), Duration.ofMillis(400), 10));
    scheduler.submit(store(null, "a@example.net"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    Bounce b = reports.get(reports.size() - 1).bounced().get(0);
    assertThat(b.expired()).isTrue();
    assertThat(b.outcome().reply().status()).isEqualTo("4.4.7");
    assertThat(b.outcome().reply().toString()).contains("greylisted");
  }

  @Test
  void theRetryMovedForwardToTheMomentOfExpiryIsStillMade() throws Exception {
    agent.script = a -> AttemptResults.all(a, Disposition.DEFER, 451, "4.7.1", "greylisted");
    start(settings(Duration.ofSeconds(1), Duration.ofMillis(1500), 10));
    scheduler.submit(store(null, "a@example.net"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    // At 0 and 1 s, then at 1.5 s (not 2 s): the clamped last retry, after which it expires.
    assertThat(agent.attempts).hasSize(3);
    assertThat(reports.get(reports.size() - 1).bounced().get(0).expired()).isTrue();
  }

  @Test
  void aUrgentMessageOvertakesABacklogOnTheSamePath() throws Exception {
    agent.hold = true;
    start(settings(Duration.ofMinutes(5), Duration.ofDays(1), 1));
    scheduler.submit(store(null, "first@example.net"));
    Await.until("agent.attempts.size() == 1", () -> agent.attempts.size() == 1);
    for (int i = 0; i < 5; i++) {
      scheduler.submit(store(null, "bulk" + i + "@example.net"));
    }
    scheduler.submit(store("transactional", "reset@example.net"));
    Await.until(
        "scheduler.summary().join().ready() == 6", () -> scheduler.summary().join().ready() == 6);
    agent.hold = false;
    agent.release();
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    List<Attempt> order = new ArrayList<>(agent.attempts);
    assertThat(order.get(1).recipients().get(0).address()).isEqualTo("reset@example.net");
  }

  @Test
  void recoveredMessagesWaitForTheirNextAttempt() throws Exception {
    start(settings(Duration.ofMinutes(5), Duration.ofDays(1), 10));
    SpoolEntry due = store(null, "due@example.net");
    SpoolEntry later = store(null, "later@example.net");
    spool
        .update(
            later.withState(
                new DeliveryState(1, Instant.now().plusSeconds(3600), "x", Set.of()).toMap()))
        .get();
    scheduler.recover(spool.entries());
    Await.until("spool.entries().size() == 1", () -> spool.entries().size() == 1);
    assertThat(spool.entries().iterator().next().id()).isEqualTo(later.id());
    assertThat(agent.attempts).extracting(a -> a.id()).containsExactly(due.id());
  }

  @Test
  void shutdownLetsAttemptsInFlightFinishAndKeepsUntriedMailQueued() throws Exception {
    agent.hold = true;
    start(settings(Duration.ofMinutes(5), Duration.ofDays(1), 1));
    SpoolEntry inFlight = store(null, "a@example.net");
    scheduler.submit(inFlight);
    Await.until("agent.attempts.size() == 1", () -> agent.attempts.size() == 1);
    SpoolEntry queued = store(null, "b@example.net");
    scheduler.submit(queued);
    Await.until(
        "scheduler.summary().join().ready() == 1", () -> scheduler.summary().join().ready() == 1);
    CompletableFuture<Void> drained = scheduler.shutdown();
    agent.hold = false;
    agent.release();
    drained.get();
    scheduler.close();
    scheduler = null;
    assertThat(spool.entries()).extracting(SpoolEntry::id).containsExactly(queued.id());
    assertThat(DeliveryState.of(spool.entries().iterator().next().state()).attempts()).isZero();
  }

  @Test
  void aDirectMemberFailingForADomainRolledUpByItsMxFailsOverOnceInsteadOfLooping()
      throws Exception {
    agent.script =
        a -> a.member().name().equals("ip-1") ? AttemptResults.pathDown(a, "refused") : null;
    start(
        settings(Duration.ofMinutes(5), Duration.ofDays(1), 10),
        """
        destinations: { gmail: { domains: [gmail.com], mx_suffixes: [.google.com] } }
        pools:
          direct:
            members: [ { name: ip-1, weight: 100 }, { name: ip-2, weight: 1 } ]
        rules: [ { name: all, route: { pool: direct } } ]
        """,
        (member, domain, byDomain) -> CompletableFuture.completedFuture("gmail"));
    scheduler.submit(store(null, "someone@workspace.example"));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.members()).containsExactly("ip-1", "ip-2");
  }

  @Test
  void aMessageOverARateLimitWaitsInItsReadyQueueInsteadOfBeingDeferred() throws Exception {
    start(
        settings(Duration.ofMinutes(5), Duration.ofDays(1), 10),
        """
        pools:
          main:
            members: [ { name: primary, relay: { host: primary.example, tls: none }, limits: { rate: 1/hour } } ]
        rules: [ { name: all, route: { pool: main } } ]
        """,
        DestinationResolver.BY_DOMAIN);
    scheduler.submit(store(null, "a@example.net"));
    Await.until("reports.size() == 1", () -> reports.size() == 1);
    scheduler.submit(store(null, "b@example.net"));
    Await.until(
        "scheduler.summary().join().ready() == 1", () -> scheduler.summary().join().ready() == 1);
    assertThat(agent.attempts).hasSize(1);
    assertThat(reports).hasSize(1); // neither deferred nor bounced: it waits for the bucket
    assertThat(spool.entries()).hasSize(1);
    assertThat(DeliveryState.of(spool.entries().iterator().next().state()).attempts()).isZero();
  }

  @Test
  void aQueueEmptiedWhileItWaitsForARateLimitLeavesNoWakeUpBehind() throws Exception {
    MutableClock time = MutableClock.at("2026-03-02T10:00:00Z");
    ReadCountingClock reads = new ReadCountingClock(time);
    clock = reads;
    agent.hold = true;
    agent.script =
        a ->
            a.member().name().equals("primary")
                ? AttemptResults.pathDown(a, "421 4.3.2 busy")
                : null;
    start(
        settings(Duration.ofMinutes(5), Duration.ofDays(1), 10),
        """
        pools:
          main:
            members: [ { name: primary, relay: { host: primary.example, tls: none }, limits: { rate: 1/2s } } ]
            fallback: [spare]
          spare:
            members: [ { name: backup, relay: { host: backup.example, tls: none } } ]
        rules: [ { name: all, route: { pool: main } } ]
        """,
        DestinationResolver.BY_DOMAIN);
    scheduler.submit(store(null, "a@example.net"));
    Await.until("a is attempted", () -> agent.attempts.size() == 1);
    scheduler.submit(store(null, "b@example.net"));
    Await.until("b waits for the rate limit", () -> scheduler.summary().join().ready() == 1);
    agent.hold = false;
    agent.release(); // the primary's path fails: a and b go to the backup
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.members()).containsExactly("primary", "backup", "backup");

    time.advance(Duration.ofSeconds(3)); // past the instant b's queue waited for
    scheduler.recover(List.of()); // the scheduler's timer runs, as at a start
    scheduler.summary().join();
    long before = reads.count();
    for (int i = 0; i < 50; i++) {
      scheduler.summary().join(); // each a turn of the scheduler's thread
    }

    assertThat(reads.count() - before).as("clock reads of an idle scheduler").isLessThan(10);
  }

  @Test
  void aMessageWhoseTextIsRefusedTakesNoQuotaAndNoRate() throws Exception {
    bodies =
        (entry, body, dkim) ->
            dkim == DkimPolicy.REQUIRED
                ? new BodyPreparer.Refused(SmtpReply.of(451, "4.7.0", "no dkim key"))
                : new BodyPreparer.Ready(body);
    String policy =
        """
        pools:
          main:
            members: [ { name: primary, relay: { host: primary.example, tls: none }, limits: { per_day: 10, rate: 1/hour } } ]
        rules:
          - { name: signed, match: { message_type: newsletter }, route: { pool: main, dkim: required } }
          - { name: rest, route: { pool: main } }
        """;
    start(
        settings(Duration.ofHours(1), Duration.ofDays(1), 10),
        policy,
        DestinationResolver.BY_DOMAIN);
    MemberConfig primary = Policies.parse(policy).pools().get("main").members().get(0);

    scheduler.submit(store("newsletter", "a@example.net"));
    Await.until("its round is over", () -> reports.size() == 1);

    assertThat(reports.get(0).delivered()).isEmpty();
    assertThat(agent.attempts).isEmpty();
    assertThat(scheduler.traffic(t -> t.state(primary, "*", Instant.now()).quotaUsed()).join())
        .containsEntry("day", 0L);
    scheduler.submit(store(null, "b@example.net"));
    Await.until("the next message goes at once", () -> reports.size() == 2);
    assertThat(reports.get(1).delivered()).hasSize(1);
  }

  @Test
  void aMessageWithMoreRecipientsThanAQuotaCapIsSentInBatchesThatFitIt() throws Exception {
    String policy =
        """
        pools:
          main:
            members: [ { name: primary, relay: { host: primary.example, tls: none }, limits: { per_hour: 3 } } ]
        rules: [ { name: all, route: { pool: main } } ]
        """;
    start(
        settings(Duration.ofHours(1), Duration.ofDays(1), 10),
        policy,
        DestinationResolver.BY_DOMAIN);

    scheduler.submit(
        store(null, "a@example.net", "b@example.net", "c@example.net", "d@example.net"));
    Await.until("its round is over", () -> reports.size() == 1);

    // Three fit this hour's cap; a batch of four never could, whatever the hour.
    assertThat(agent.attempts)
        .singleElement()
        .satisfies(a -> assertThat(a.recipients()).hasSize(3));
    assertThat(reports.get(0).delivered()).hasSize(3);
  }

  @Test
  void theRecipientLimitDefersOrBouncesWhatARuleSends() throws Exception {
    start(
        settings(Duration.ofMinutes(5), Duration.ofDays(1), 10),
        """
        pools: { main: { members: [ { name: primary, relay: { host: primary.example, tls: none } } ] } }
        rules:
          - { name: resets, match: { message_type: transactional }, route: { pool: main, recipient_rate: 1/hour, on_recipient_limit: reject } }
          - { name: rest, route: { pool: main, recipient_rate: 1/hour } }
        """,
        DestinationResolver.BY_DOMAIN);
    for (int i = 0; i < 2; i++) {
      scheduler.submit(store("transactional", "loop@example.net"));
      int n = i + 1;
      Await.until("reports.size() == n", () -> reports.size() == n);
    }
    assertThat(reports.get(1).bounced())
        .singleElement()
        .satisfies(
            b ->
                assertThat(b.outcome().reply().toString())
                    .startsWith("550 5.7.1 Too many messages to <loop@example.net>"));
    scheduler.submit(store(null, "patient@example.net"));
    Await.until("reports.size() == 3", () -> reports.size() == 3);
    scheduler.submit(store(null, "patient@example.net"));
    Await.until("reports.size() == 4", () -> reports.size() == 4);
    assertThat(reports.get(3).bounced()).isEmpty();
    assertThat(reports.get(3).delivered()).isEmpty();
    // The report comes before the spool write: wait for the record of the deferred message.
    Await.until(
        "the deferral is recorded",
        () ->
            spool.entries().stream()
                .map(e -> DeliveryState.of(e.state()).lastError())
                .anyMatch(
                    error ->
                        error != null
                            && error.contains(
                                "451 4.7.1 Too many messages to <patient@example.net>")));
    assertThat(agent.attempts).hasSize(2);
  }

  @Test
  void aRecipientOnlyOtherTenantsMembersCouldTakeBouncesAtOnceSayingWhy() throws Exception {
    start(
        settings(Duration.ofMinutes(5), Duration.ofDays(1), 10),
        """
        pools: { vip: { members: [ { name: v1, tenants: [acme], relay: { host: vip.example, tls: none } } ] } }
        tenants: { acme: { networks: [10.0.0.0/8] } }
        rules: [ { name: all, route: { pool: vip } } ]
        """,
        DestinationResolver.BY_DOMAIN);
    scheduler.submit(store(null, "a@example.net"));
    Await.until("the first report", () -> !reports.isEmpty());
    assertThat(reports)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.bounced())
                    .singleElement()
                    .satisfies(
                        b ->
                            assertThat(b.outcome().reply().toString())
                                .isEqualTo(
                                    "554 5.7.1 Refused by the routing policy: REFUSE"
                                        + " NO_MEMBER_FOR_TENANT: tenant - may use no member of"
                                        + " [vip]: each is dedicated to other tenants")));
    Await.until("the spool is empty", () -> spool.entries().isEmpty());
    assertThat(agent.attempts).isEmpty();
  }

  @Test
  void aRetryOfTheSameMessageIsNotCountedAgainstTheRecipientLimit() throws Exception {
    java.util.concurrent.atomic.AtomicInteger tries =
        new java.util.concurrent.atomic.AtomicInteger();
    agent.script =
        a ->
            tries.getAndIncrement() == 0
                ? AttemptResults.all(a, Disposition.DEFER, 451, "4.7.1", "greylisted")
                : null;
    start(
        settings(Duration.ofMillis(200), Duration.ofDays(1), 10),
        """
        pools: { main: { members: [ { name: primary, relay: { host: primary.example, tls: none } } ] } }
        rules: [ { name: resets, route: { pool: main, recipient_rate: 1/hour, on_recipient_limit: reject } } ]
        """,
        DestinationResolver.BY_DOMAIN);
    scheduler.submit(store(null, "once@example.net"));
    Await.until("reports.size() == 2", () -> reports.size() == 2);
    assertThat(reports.get(1).delivered()).hasSize(1);
    assertThat(reports.get(1).bounced()).isEmpty();
  }

  @Test
  void threeFailedProbesTakeARelayOutBeforeAnyMessageFailsOnIt() throws Exception {
    agent.probeFailure = Optional.of("535 5.7.8 authentication failed");
    String policy =
        """
        pools:
          main:
            members:
              - { name: primary, weight: 100, relay: { host: primary.example, tls: none, probe: 1s } }
              - { name: backup, weight: 1, relay: { host: backup.example, tls: none } }
        rules: [ { name: all, route: { pool: main } } ]
        """;
    start(
        settings(Duration.ofMinutes(5), Duration.ofDays(1), 10),
        policy,
        DestinationResolver.BY_DOMAIN);
    scheduler.recover(List.of()); // as at a start: the scheduler's timer runs, probes begin
    MemberConfig primary = Policies.parse(policy).pools().get("main").members().get(0);
    Await.until(
        "the primary is down",
        () ->
            scheduler.traffic(t -> t.state(primary, "*", Instant.now()).health().state()).join()
                == HealthState.DOWN);
    assertThat(agent.probes).hasSizeGreaterThanOrEqualTo(3).containsOnly("primary");
    scheduler.submit(store(null, "a@example.net"));
    Await.until("reports.size() == 1", () -> reports.size() == 1);
    assertThat(agent.members()).containsExactly("backup");
  }

  /** Answers attempts as the test says; by default everything is delivered. */
  static final class ScriptedAgent implements DeliveryAgent {
    final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    volatile Function<Attempt, AttemptResult> script = a -> null;
    volatile boolean hold;

    final ConcurrentLinkedQueue<String> probes = new ConcurrentLinkedQueue<>();
    volatile Optional<String> probeFailure = Optional.empty();

    @Override
    public CompletableFuture<Optional<String>> probe(MemberConfig relayMember) {
      probes.add(relayMember.name());
      return CompletableFuture.completedFuture(probeFailure);
    }

    @Override
    public CompletableFuture<AttemptResult> deliver(Attempt attempt) {
      attempts.add(attempt);
      CompletableFuture<AttemptResult> f = new CompletableFuture<>();
      Runnable answer =
          () -> {
            AttemptResult r = script.apply(attempt);
            f.complete(
                r != null
                    ? r
                    : AttemptResults.all(attempt, Disposition.DELIVERED, 250, "2.0.0", "ok"));
          };
      if (hold) {
        held.add(answer);
      } else {
        answer.run();
      }
      return f;
    }

    void release() {
      Runnable r;
      while ((r = held.poll()) != null) {
        r.run();
      }
    }

    List<String> members() {
      return attempts.stream().map(a -> a.member().name()).toList();
    }

    @Override
    public void close() {
      release();
    }
  }

  /** Counts what reads it: a scheduler that spins reads the time on every turn. */
  static final class ReadCountingClock extends Clock {
    private final Clock clock;
    private final AtomicLong reads = new AtomicLong();

    ReadCountingClock(Clock clock) {
      this.clock = clock;
    }

    long count() {
      return reads.get();
    }

    @Override
    public Instant instant() {
      reads.incrementAndGet();
      return clock.instant();
    }

    @Override
    public ZoneId getZone() {
      return clock.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** Results as the agent would report them. */
  static final class AttemptResults {
    static RecipientOutcome outcome(
        SpoolRecipient r, Disposition d, int code, String status, String text) {
      return new RecipientOutcome(
          r,
          d,
          code < 300 ? Stage.DATA_END : Stage.RCPT,
          SmtpReply.of(code, status, text),
          "mx.test",
          false);
    }

    static AttemptResult all(Attempt a, Disposition d, int code, String status, String text) {
      return new AttemptResult(
          a.recipients().stream().map(r -> outcome(r, d, code, status, text)).toList(),
          Optional.empty());
    }

    static AttemptResult pathDown(Attempt a, String why) {
      return new AttemptResult(
          all(a, Disposition.NEXT_HOST, 421, "4.3.2", why).outcomes(), Optional.of(why));
    }
  }
}
