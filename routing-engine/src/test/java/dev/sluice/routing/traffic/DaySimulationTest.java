package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.routing.Decision;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.testing.EnvelopeBuilder;
import dev.sluice.routing.testing.Policies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A day of traffic compressed into a virtual clock: one message every 5 seconds through a pool of
 * three relay members weighted 60/25/15. {@code b} has an hourly quota of 150 and fails for 8
 * minutes from 10:00; {@code c} is warming at 400 messages on its first day. The run is checked
 * against a model written from the rules, not from the code: each member's expected share at each
 * decision is its weight times what health, quota and warmup leave it.
 */
class DaySimulationTest {
  private static final String POLICY =
      """
      pools:
        main:
          members:
            - { name: a, weight: 60, relay: { host: a.example } }
            - { name: b, weight: 25, relay: { host: b.example }, limits: { per_hour: 150 } }
            - { name: c, weight: 15, relay: { host: c.example }, warmup: { start: 400/day, growth: 50% } }
      rules:
        - { name: all, route: { pool: main } }
      """;
  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
  private static final Duration STEP = Duration.ofSeconds(5);
  private static final Instant FAIL_FROM = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant FAIL_UNTIL = FAIL_FROM.plus(Duration.ofMinutes(8));

  private final Router router = new Router(Policies.parse(POLICY));
  private final List<TrafficEvent> events = new ArrayList<>();
  private final TrafficControl traffic =
      new TrafficControl(router.config(), new LocalTrafficStore(), events::add);

  @Test
  void aDayOfTrafficFollowsWeightsQuotasWarmupAndTheRecoverySchedule() {
    Map<String, Integer> sent = new HashMap<>();
    Map<String, Double> expected = new HashMap<>();
    Map<Long, Integer> bPerHour = new HashMap<>();
    int cToday = 0;
    int messages = 0;
    Instant firstFailure = null;
    String afterFirstFailure = null;
    for (Instant now = START; now.isBefore(START.plus(Duration.ofDays(1))); now = now.plus(STEP)) {
      traffic.tick(now);
      long hour = Duration.between(START, now).toHours();
      // The model: what the rules allow each member at this decision.
      double a = 60;
      double b = bPerHour.getOrDefault(hour, 0) < 150 ? 25 * healthShare("b", now) : 0;
      double c = cToday < 400 ? 15 : 0;
      double total = a + b + c;
      expected.merge("a", a / total, Double::sum);
      expected.merge("b", b / total, Double::sum);
      expected.merge("c", c / total, Double::sum);

      String member = deliver(now, Optional.empty());
      if (member.equals("b") && !now.isBefore(FAIL_FROM) && now.isBefore(FAIL_UNTIL)) {
        if (firstFailure == null) {
          firstFailure = now;
        }
        // The attempt failed: the message goes to another member at once (job-level exclusion).
        member = deliver(now, Optional.of("b"));
        if (afterFirstFailure == null) {
          afterFirstFailure = member;
        }
      }
      messages++;
      sent.merge(member, 1, Integer::sum);
      if (member.equals("b")) {
        bPerHour.merge(hour, 1, Integer::sum);
      }
      if (member.equals("c")) {
        cToday++;
      }
    }

    for (String m : List.of("a", "b", "c")) {
      assertThat(sent.get(m) / (double) messages)
          .as("share of %s", m)
          .isCloseTo(expected.get(m) / messages, within(0.02));
    }
    assertThat(bPerHour.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(150));
    assertThat(cToday).isEqualTo(400);
    assertThat(afterFirstFailure).isIn("a", "c");
    assertRecoveryFollowsTheSchedule(firstFailure);
  }

  /**
   * b went down at the first failure; each recheck (a trial at probation share) that still met the
   * outage sent it down again for the next interval of 1, 5, 15 minutes…; the first trial after the
   * outage held, and b ramped back to full weight over 30 minutes.
   */
  private void assertRecoveryFollowsTheSchedule(Instant firstFailure) {
    List<TrafficEvent> b = events.stream().filter(e -> e.member().equals("b")).toList();
    List<Duration> recheck =
        List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
    assertThat(b.size()).as("events %s", b).isGreaterThanOrEqualTo(5).matches(n -> n % 2 == 1);
    assertThat(b.get(0).at()).isEqualTo(firstFailure);
    for (int i = 0; i + 1 < b.size() - 1; i += 2) {
      assertThat(b.get(i).type()).isEqualTo("member_down");
      assertThat(b.get(i).at()).isBefore(FAIL_UNTIL);
      assertThat(b.get(i + 1).type()).isEqualTo("member_probation");
      assertWait(b.get(i), b.get(i + 1), recheck.get(i / 2));
    }
    TrafficEvent up = b.get(b.size() - 1);
    assertThat(up.type()).isEqualTo("member_up");
    assertWait(b.get(b.size() - 2), up, Duration.ofMinutes(30));
  }

  private static void assertWait(TrafficEvent from, TrafficEvent to, Duration wait) {
    assertThat(Duration.between(from.at(), to.at())).isBetween(wait, wait.plus(STEP));
  }

  /** The share of b's weight its health leaves: none while down, the probation ramp after. */
  private double healthShare(String member, Instant now) {
    TrafficEvent last = null;
    for (TrafficEvent e : events) {
      if (e.member().equals(member)) {
        last = e;
      }
    }
    if (last == null || last.type().equals("member_up")) {
      return 1;
    }
    if (last.type().equals("member_down")) {
      return 0;
    }
    double ramp =
        Duration.between(last.at(), now).toMillis() / (double) Duration.ofMinutes(30).toMillis();
    return Math.min(1, 0.1 + 0.9 * ramp);
  }

  /** Routes one message, takes its charges, and reports the attempt's result. */
  private String deliver(Instant now, Optional<String> failedHere) {
    Eligibility live = traffic.eligibility(now);
    Eligibility eligibility =
        (m, d) ->
            failedHere.isPresent() && failedHere.get().equals(m.name())
                ? new MemberVerdict.Ineligible(MemberVerdict.Reason.DOWN, "failed just now")
                : live.check(m, d);
    Decision.Deliver d =
        (Decision.Deliver)
            router.route(
                EnvelopeBuilder.to("someone@example.net").build(),
                new RoutingSnapshot(now, eligibility));
    TrafficControl.Admitted admitted = traffic.admit(d, d.destination(), 1, now);
    assertThat(admitted.admission().isAdmitted()).as("admitted at %s", now).isTrue();
    boolean fails =
        d.member().name().equals("b") && !now.isBefore(FAIL_FROM) && now.isBefore(FAIL_UNTIL);
    AttemptReport report =
        new AttemptReport(
            d.member(),
            d.destination(),
            Optional.empty(),
            fails ? Optional.of("connection refused") : Optional.empty(),
            List.of(
                new AttemptReport.Result(
                    "someone@example.net",
                    fails ? AttemptReport.Outcome.DEFERRED : AttemptReport.Outcome.DELIVERED,
                    fails ? 0 : 250,
                    fails ? "connection refused" : "250 2.0.0 ok")));
    traffic.observe(report, now);
    if (fails) {
      traffic.refund(admitted.quotas(), 1, now);
    }
    return d.member().name();
  }
}
