package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Decision;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.testing.EnvelopeBuilder;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.testing.Policies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Traffic control's decisions, one mechanism at a time, on virtual time. */
class TrafficControlTest {
  private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

  private final List<TrafficEvent> events = new ArrayList<>();
  private Router router;
  private TrafficControl traffic;

  private void policy(String yaml) {
    router = new Router(Policies.parse(yaml));
    traffic = new TrafficControl(router.config(), new LocalTrafficStore(), events::add);
  }

  private MemberConfig member(String name) {
    return router.config().pools().values().stream()
        .flatMap(p -> p.members().stream())
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private Decision.Deliver route(String recipient, Instant now) {
    return (Decision.Deliver)
        router.route(
            EnvelopeBuilder.to(recipient).tenant("shop").build(),
            new RoutingSnapshot(now, traffic.eligibility(now)));
  }

  private MemberVerdict verdict(String member, String destination, Instant now) {
    return traffic.eligibility(now).check(member(member), destination);
  }

  private void report(
      String member, String destination, Instant now, int code, String reply, String rcpt) {
    AttemptReport.Outcome outcome =
        code < 300
            ? AttemptReport.Outcome.DELIVERED
            : code < 500 ? AttemptReport.Outcome.DEFERRED : AttemptReport.Outcome.BOUNCED;
    traffic.observe(
        new AttemptReport(
            member(member),
            destination,
            Optional.of("shop"),
            Optional.empty(),
            List.of(new AttemptReport.Result(rcpt, outcome, code, reply))),
        now);
  }

  @Test
  void aMemberAtItsDailyQuotaDropsOutAndComesBackAtMidnightInTheConfiguredZone() {
    policy(
        """
        routing: { time_zone: Europe/Berlin }
        pools:
          p:
            members:
              - { name: capped, weight: 100, relay: { host: a.example }, limits: { per_day: 3 } }
              - { name: spare, weight: 1, relay: { host: b.example } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    for (int i = 0; i < 3; i++) {
      Decision.Deliver d = route("x" + i + "@example.net", NOON);
      assertThat(d.member().name()).isEqualTo("capped");
      assertThat(traffic.admit(d, d.destination(), 1, NOON).admission().isAdmitted()).isTrue();
    }
    assertThat(verdict("capped", "default", NOON))
        .isEqualTo(
            new MemberVerdict.Ineligible(
                MemberVerdict.Reason.QUOTA,
                "daily quota of 3 used; resets at 2026-11-23T23:00:00Z"));
    assertThat(route("y@example.net", NOON).member().name()).isEqualTo("spare");
    Decision.Deliver late = route("z@example.net", NOON);
    // Another node could have taken the last unit: admission itself refuses past the cap.
    TrafficControl.Admitted refused =
        traffic.admit(
            new Decision.Deliver(
                late.rule(),
                late.pool(),
                member("capped"),
                late.destination(),
                5,
                late.route(),
                late.tenant(),
                late.trace()),
            "default",
            1,
            NOON);
    assertThat(refused.memberOut()).isTrue();
    assertThat(refused.admission().retryAt()).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
    Instant nextDay = Instant.parse("2026-11-23T23:00:00Z");
    assertThat(verdict("capped", "default", nextDay)).isEqualTo(MemberVerdict.FULL);
  }

  @Test
  void quotaIsGivenBackForRecipientsNeverHandedOver() {
    policy(
        """
        pools: { p: { members: [ { name: m, relay: { host: a.example }, limits: { per_hour: 2 } } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    Decision.Deliver d = route("a@example.net", NOON);
    TrafficControl.Admitted two = traffic.admit(d, "default", 2, NOON);
    assertThat(verdict("m", "default", NOON)).isInstanceOf(MemberVerdict.Ineligible.class);
    traffic.refund(two.quotas(), 1, NOON);
    assertThat(verdict("m", "default", NOON)).isEqualTo(MemberVerdict.FULL);
    assertThat(traffic.state(member("m"), "*", NOON).quotaUsed()).containsEntry("hour", 1L);
  }

  @Test
  void warmupIsTrackedPerDestinationAndAMemberOverItsAllowanceIsSkipped() {
    policy(
        """
        destinations:
          gmail: { domains: [gmail.com] }
          outlook: { domains: [outlook.com] }
        pools:
          p:
            members:
              - { name: new-ip, weight: 10, warmup: { schedule: [2, 4] } }
              - { name: old-ip, weight: 1 }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    Decision.Deliver d = route("a@gmail.com", NOON);
    traffic.admit(d, "gmail", 2, NOON);
    assertThat(verdict("new-ip", "gmail", NOON))
        .isInstanceOf(MemberVerdict.Ineligible.class)
        .extracting(v -> ((MemberVerdict.Ineligible) v).reason())
        .isEqualTo(MemberVerdict.Reason.WARMUP);
    assertThat(verdict("new-ip", "outlook", NOON)).isInstanceOf(MemberVerdict.Eligible.class);
    Instant tomorrow = NOON.plus(Duration.ofDays(1));
    assertThat(traffic.state(member("new-ip"), "gmail", tomorrow).warmup())
        .get()
        .satisfies(w -> assertThat(w.day()).isEqualTo(2))
        .satisfies(w -> assertThat(w.allowance()).isEqualTo(4));
    // After the table the member is warm toward gmail, while outlook has not started yet.
    Instant warm = NOON.plus(Duration.ofDays(2));
    assertThat(traffic.state(member("new-ip"), "gmail", warm).warmup()).isEmpty();
    assertThat(traffic.state(member("new-ip"), "outlook", warm).warmup()).isPresent();
  }

  @Test
  void aMemberThatKeepsSendingStaysWarmYearAfterYear() {
    policy(
        """
        pools: { p: { members: [ { name: new-ip, warmup: { schedule: [2, 4] } } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    MutableClock clock = new MutableClock(NOON);
    for (int day = 1; day <= 420; day++) {
      Instant now = clock.instant();
      assertThat(traffic.admit(route("a@example.net", now), "default", 1, now).admission())
          .as("day %d", day)
          .satisfies(a -> assertThat(a.isAdmitted()).isTrue());
      if (day > 2) {
        assertThat(traffic.state(member("new-ip"), "default", now).warmup())
            .as("warm on day %d", day)
            .isEmpty();
      }
      clock.advance(Duration.ofDays(1));
    }
  }

  @Test
  void aBadDayPausesTheWarmupScheduleAndSaysSo() {
    policy(
        """
        traffic: { warmup: { pause_bounce_above: 10%, min_attempts: 5 } }
        pools: { p: { members: [ { name: new-ip, warmup: { schedule: [100, 200, 300] } } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    Decision.Deliver d = route("a@example.net", NOON);
    traffic.admit(d, "default", 1, NOON);
    for (int i = 0; i < 4; i++) {
      report("new-ip", "default", NOON, 250, "250 ok", "a" + i + "@example.net");
    }
    report("new-ip", "default", NOON, 550, "550 5.1.1 no such user", "gone@example.net");
    assertThat(events).extracting(TrafficEvent::type).containsExactly("warmup_paused");
    assertThat(events.get(0).detail()).contains("bounce rate 20.0%");
    Instant tomorrow = NOON.plus(Duration.ofDays(1));
    // Today did not count: tomorrow is day 1 again, not day 2.
    assertThat(traffic.state(member("new-ip"), "default", tomorrow).warmup().get().day())
        .isEqualTo(1);
  }

  @Test
  void aResponseRuleSuspendsTheMemberAfterItsThresholdAndItRampsBackAfterwards() {
    policy(
        """
        destinations:
          yahoo:
            domains: [yahoo.com]
            responses:
              - { name: yahoo-ts04, match: 'TS04', trigger: 3/5m, action: suspend, duration: 1h }
        pools:
          p:
            members:
              - { name: ip-1, weight: 10 }
              - { name: ip-2, weight: 10 }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    String ts04 = "421 4.7.0 [TS04] Messages from 127.0.0.2 temporarily deferred";
    // One attempt counts once toward the trigger, however many recipients got the reply.
    traffic.observe(
        new AttemptReport(
            member("ip-2"),
            "yahoo",
            Optional.of("shop"),
            Optional.empty(),
            List.of(
                new AttemptReport.Result("x@yahoo.com", AttemptReport.Outcome.DEFERRED, 421, ts04),
                new AttemptReport.Result("y@yahoo.com", AttemptReport.Outcome.DEFERRED, 421, ts04),
                new AttemptReport.Result(
                    "z@yahoo.com", AttemptReport.Outcome.DEFERRED, 421, ts04))),
        NOON);
    assertThat(traffic.suspensions(NOON)).isEmpty();
    report("ip-1", "yahoo", NOON, 421, ts04, "a@yahoo.com");
    report("ip-1", "yahoo", NOON.plusSeconds(60), 421, ts04, "b@yahoo.com");
    assertThat(traffic.suspensions(NOON)).isEmpty();
    report("ip-1", "yahoo", NOON.plusSeconds(120), 421, ts04, "c@yahoo.com");
    Instant later = NOON.plusSeconds(121);
    assertThat(traffic.suspensions(later))
        .singleElement()
        .satisfies(s -> assertThat(s.setBy()).isEqualTo("yahoo-ts04"))
        .satisfies(
            s -> assertThat(s.until()).isEqualTo(NOON.plusSeconds(120).plus(Duration.ofHours(1))))
        .satisfies(s -> assertThat(s.reason()).contains("[TS04]"));
    assertThat(verdict("ip-1", "yahoo", later))
        .extracting(v -> ((MemberVerdict.Ineligible) v).reason())
        .isEqualTo(MemberVerdict.Reason.SUSPENDED);
    assertThat(verdict("ip-1", "default", later)).isEqualTo(MemberVerdict.FULL);
    assertThat(verdict("ip-2", "yahoo", later)).isEqualTo(MemberVerdict.FULL);
    assertThat(events).extracting(TrafficEvent::type).contains("member_suspended");

    Instant ended = NOON.plusSeconds(120).plus(Duration.ofHours(1));
    assertThat(weight(verdict("ip-1", "yahoo", ended)))
        .isEqualTo(0.1, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(weight(verdict("ip-1", "yahoo", ended.plus(Duration.ofMinutes(15)))))
        .isEqualTo(0.55, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(verdict("ip-1", "yahoo", ended.plus(Duration.ofMinutes(30))))
        .isEqualTo(MemberVerdict.FULL);
  }

  private static double weight(MemberVerdict v) {
    return ((MemberVerdict.Eligible) v).weightFactor();
  }

  @Test
  void otherResponseActionsSuspendTheTenantThrottleOrBounce() {
    policy(
        """
        destinations:
          gmail:
            domains: [gmail.com]
            connections: 10
            rate: 600/min
            responses:
              - { match: '4\\.7\\.28', action: throttle, factor: 50%, duration: 30m }
              - { name: spam-trap, match: 'spamtrap', action: bounce }
              - { name: abuse, match: 'abuse from this sender', action: suspend_tenant, duration: 2h }
        pools: { p: { members: [ { name: ip-1 } ] } }
        tenants: { shop: { networks: [192.0.2.0/24] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    report("ip-1", "gmail", NOON, 421, "421 4.7.28 unusual rate of mail", "a@gmail.com");
    // The rule's cut counts as the decrease of this reply: not halved twice.
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(5);
    assertThat(events).extracting(TrafficEvent::type).contains("throttled");

    Map<String, String> bounce =
        traffic.observe(
            new AttemptReport(
                member("ip-1"),
                "gmail",
                Optional.of("shop"),
                Optional.empty(),
                List.of(
                    new AttemptReport.Result(
                        "t@gmail.com",
                        AttemptReport.Outcome.DEFERRED,
                        450,
                        "450 4.2.1 spamtrap hit"))),
            NOON);
    assertThat(bounce).containsOnlyKeys("t@gmail.com");

    report("ip-1", "gmail", NOON, 451, "451 4.7.1 abuse from this sender", "b@gmail.com");
    assertThat(traffic.tenantSuspension("shop", NOON.plusSeconds(1)))
        .get()
        .satisfies(s -> assertThat(s.until()).isEqualTo(NOON.plus(Duration.ofHours(2))));
  }

  @Test
  void repeatedThrottlingCutsRateAndConnectionsAndCleanWindowsRaiseThemAgain() {
    policy(
        """
        destinations: { gmail: { domains: [gmail.com], connections: 10, rate: 600/min } }
        pools: { p: { members: [ { name: ip-1 } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    report(
        "ip-1", "gmail", NOON, 421, "421 4.7.0 Try again later, closing connection", "a@gmail.com");
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(5);
    // Replies of attempts that were in flight together do not cut twice.
    report("ip-1", "gmail", NOON.plusSeconds(1), 421, "421 4.7.0 Try again later", "b@gmail.com");
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(5);
    report("ip-1", "gmail", NOON.plusSeconds(40), 421, "421 4.7.0 Try again later", "c@gmail.com");
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(2);
    Instant t = NOON.plusSeconds(40);
    for (int i = 0; i < 8; i++) {
      t = t.plus(Duration.ofMinutes(1));
      report("ip-1", "gmail", t, 250, "250 ok", "d@gmail.com");
    }
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(10);
  }

  @Test
  void rateLimitsMakeTheAttemptWaitUntilTheBucketRefills() {
    policy(
        """
        tenants: { shop: { networks: [192.0.2.0/24], rate: 2/min } }
        pools: { p: { members: [ { name: m, relay: { host: a.example } } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        traffic: { burst_window: 1m }
        """);
    Decision.Deliver d = route("a@example.net", NOON);
    assertThat(traffic.admit(d, "default", 2, NOON).admission().isAdmitted()).isTrue();
    TrafficControl.Admitted waiting = traffic.admit(d, "default", 1, NOON);
    assertThat(waiting.memberOut()).isFalse();
    assertThat(waiting.admission().refusedBy().get().key()).isEqualTo("rate:tenant:shop");
    assertThat(waiting.admission().retryAt()).isEqualTo(NOON.plusSeconds(30));
    assertThat(traffic.admit(d, "default", 1, NOON.plusSeconds(30)).admission().isAdmitted())
        .isTrue();
  }

  @Test
  void theRecipientLimitStopsARunawayLoopAndARuleMayChangeIt() {
    policy(
        """
        pools: { p: { members: [ { name: m } ] } }
        rules:
          - { name: resets, match: { message_type: transactional }, route: { pool: p, recipient_rate: 2/hour, on_recipient_limit: reject } }
          - { name: all, route: { pool: p } }
        """);
    Decision.Deliver d = route("loop@example.net", NOON);
    for (int i = 0; i < 5; i++) {
      assertThat(traffic.recipient("LOOP@example.net", d.route(), NOON).isAdmitted()).isTrue();
    }
    Admission sixth = traffic.recipient("loop@example.net", d.route(), NOON);
    assertThat(sixth.isAdmitted()).isFalse();
    assertThat(sixth.retryAt()).isEqualTo(NOON.plus(Duration.ofMinutes(12)));
    Decision.Deliver reset =
        (Decision.Deliver)
            router.route(
                EnvelopeBuilder.to("other@example.net").messageType("transactional").build(),
                RoutingSnapshot.allEligible(NOON));
    assertThat(traffic.recipient("other@example.net", reset.route(), NOON).isAdmitted()).isTrue();
    assertThat(traffic.recipient("other@example.net", reset.route(), NOON).isAdmitted()).isTrue();
    assertThat(traffic.recipient("other@example.net", reset.route(), NOON).isAdmitted()).isFalse();
  }

  @Test
  void aRelayWithProbesIsProbedAtItsIntervalAndThreeFailedProbesTakeItDown() {
    policy(
        """
        pools: { p: { members: [ { name: ses, relay: { host: ses.example, probe: 1m } }, { name: direct } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    assertThat(traffic.probesDue(NOON)).extracting(MemberConfig::name).containsExactly("ses");
    assertThat(traffic.probesDue(NOON.plusSeconds(30))).isEmpty();
    assertThat(traffic.nextChange(NOON)).contains(NOON.plusSeconds(60));
    for (int i = 0; i < 3; i++) {
      traffic.probed(member("ses"), false, "connection refused", NOON.plusSeconds(60L * i));
    }
    assertThat(verdict("ses", "default", NOON.plusSeconds(120)))
        .extracting(v -> ((MemberVerdict.Ineligible) v).reason())
        .isEqualTo(MemberVerdict.Reason.DOWN);
    assertThat(events).extracting(TrafficEvent::type).containsExactly("member_down");
  }
}
