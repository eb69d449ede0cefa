package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.testing.Policies;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A reloaded policy keeps what traffic control learned about the members that are still in it. */
class TrafficReconfigureTest {
  private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");
  private static final String TWO_MEMBERS =
      """
      destinations: { gmail: { domains: [gmail.com], connections: 10, rate: 600/min } }
      pools: { p: { members: [ { name: ses, relay: { host: ses.example } }, { name: ip-1 } ] } }
      rules: [ { name: all, route: { pool: p } } ]
      """;

  private RoutesConfig routes = Policies.parse(TWO_MEMBERS);
  private final TrafficControl traffic =
      new TrafficControl(routes, new LocalTrafficStore(), e -> {});

  private MemberConfig member(String name) {
    return routes.pools().values().stream()
        .flatMap(p -> p.members().stream())
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private MemberVerdict verdict(String name, Instant now) {
    return traffic.eligibility(now).check(member(name), "gmail");
  }

  private void reload(String yaml, Suspension... holds) {
    routes = Policies.parse(yaml);
    traffic.reconfigure(routes, List.of(holds));
  }

  private void failPath(String name, Instant now) {
    traffic.observe(
        new AttemptReport(
            member(name),
            "gmail",
            Optional.empty(),
            Optional.of("connection refused"),
            List.of(
                new AttemptReport.Result(
                    "a@gmail.com", AttemptReport.Outcome.DEFERRED, 0, "connection refused"))),
        now);
  }

  private void throttle(String name, Instant now) {
    traffic.observe(
        new AttemptReport(
            member(name),
            "gmail",
            Optional.empty(),
            Optional.empty(),
            List.of(
                new AttemptReport.Result(
                    "a@gmail.com",
                    AttemptReport.Outcome.DEFERRED,
                    421,
                    "421 4.7.0 Try again later, closing connection"))),
        now);
  }

  @Test
  void aMemberThatWentDownStaysDownAndThrottledWhenOnlyItsWeightChanges() {
    failPath("ses", NOON);
    throttle("ip-1", NOON);
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(5);

    reload(TWO_MEMBERS.replace("name: ip-1", "name: ip-1, weight: 7"));

    assertThat(member("ip-1").weight()).isEqualTo(7);
    assertThat(verdict("ses", NOON.plusSeconds(1)))
        .isInstanceOfSatisfying(
            MemberVerdict.Ineligible.class,
            v -> assertThat(v.reason()).isEqualTo(MemberVerdict.Reason.DOWN));
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(5);
  }

  @Test
  void aMemberRemovedByAReloadIsForgottenAndComesBackFresh() {
    failPath("ses", NOON);
    throttle("ip-1", NOON);

    reload(
        """
        destinations: { gmail: { domains: [gmail.com], connections: 10, rate: 600/min } }
        pools: { p: { members: [ { name: other } ] } }
        rules: [ { name: all, route: { pool: p } } ]
        """);
    reload(TWO_MEMBERS);

    assertThat(verdict("ses", NOON.plusSeconds(1))).isEqualTo(MemberVerdict.FULL);
    assertThat(traffic.connections(member("ip-1"), "gmail", 10)).isEqualTo(10);
  }

  @Test
  void anOperatorHoldTakesTheMemberOutUntilAReconfigureWithoutIt() {
    Suspension hold = Suspension.byOperator("ip-1", "IP on a blocklist", NOON);
    reload(TWO_MEMBERS, hold);

    assertThat(verdict("ip-1", NOON.plusSeconds(3600)))
        .isInstanceOfSatisfying(
            MemberVerdict.Ineligible.class,
            v -> {
              assertThat(v.reason()).isEqualTo(MemberVerdict.Reason.SUSPENDED);
              assertThat(v.detail())
                  .isEqualTo(
                      "suspended by operator (IP on a blocklist) since 2026-11-23T12:00:00Z until"
                          + " resumed");
            });
    assertThat(traffic.suspensions(NOON)).containsExactly(hold);
    assertThat(traffic.state(member("ip-1"), "gmail", NOON).suspension()).contains(hold);

    reload(TWO_MEMBERS);

    assertThat(verdict("ip-1", NOON.plusSeconds(3600))).isEqualTo(MemberVerdict.FULL);
    assertThat(traffic.suspensions(NOON)).isEmpty();
  }

  @Test
  void changedHealthSettingsStartTheHealthOfEveryMemberAfresh() {
    failPath("ses", NOON);

    reload(TWO_MEMBERS + "traffic: { health: { recheck: [10s] } }\n");

    assertThat(verdict("ses", NOON.plusSeconds(1))).isEqualTo(MemberVerdict.FULL);
  }
}
