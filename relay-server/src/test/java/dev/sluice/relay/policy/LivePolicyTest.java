package dev.sluice.relay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RoutesLoader;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.traffic.Suspension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy holder: whole-file reloads, overrides kept in their file and applied on top. */
class LivePolicyTest {
  private static final String ROUTES =
      """
      pools:
        a: { members: [ { name: ip-1, weight: 10 }, { name: ip-2 } ], fallback: [ b ] }
        b: { members: [ { name: ip-1, weight: 3 } ] }
      rules: [ { name: all, route: { pool: a } } ]
      """;

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");
  private final List<Policy> seen = new ArrayList<>();
  private Path routes;
  private LivePolicy live;

  @BeforeEach
  void start() throws Exception {
    routes = dir.resolve("routes.yaml");
    Files.writeString(routes, ROUTES);
    live = open();
    live.subscribe(seen::add);
  }

  private LivePolicy open() throws Exception {
    return LivePolicy.start(
        Optional.of(routes),
        RoutesLoader.load(routes),
        new OverrideFile(dir.resolve("state").resolve("overrides.json")),
        clock);
  }

  private List<Integer> weightsOf(String member) {
    return live.routes().pools().values().stream()
        .flatMap(p -> p.members().stream())
        .filter(m -> m.name().equals(member))
        .map(MemberConfig::weight)
        .toList();
  }

  @Test
  void anInvalidFileIsRefusedWithEveryErrorAndNothingChanges() throws Exception {
    Policy before = live.current();
    Files.writeString(
        routes, ROUTES.replace("pool: a", "pool: c").replace("weight: 3", "weight: 0"));

    ReloadResult result = live.reload("test");

    assertThat(result).isInstanceOf(ReloadResult.Invalid.class);
    assertThat(((ReloadResult.Invalid) result).errors())
        .hasSize(2)
        .allMatch(e -> e.matches(".*routes\\.yaml:\\d+:\\d+: .*"));
    assertThat(live.current()).isSameAs(before);
    assertThat(seen).containsExactly(before);
  }

  @Test
  void aWeightOverrideAppliesInEveryPoolAndSurvivesAReloadAndARestart() throws Exception {
    live.override("ip-1", o -> o.withWeight("ip-1", OptionalInt.of(50), clock.instant()));
    assertThat(weightsOf("ip-1")).containsExactly(50, 50);
    assertThat(live.current().configured().pools().get("b").members().get(0).weight()).isEqualTo(3);

    clock.advance(Duration.ofMinutes(1));
    Files.writeString(routes, ROUTES.replace("name: ip-2", "name: ip-3"));
    assertThat(live.reload("test")).isInstanceOf(ReloadResult.Reloaded.class);
    assertThat(weightsOf("ip-1")).containsExactly(50, 50);
    assertThat(live.current().loadedAt()).isEqualTo(Instant.parse("2026-11-23T12:01:00Z"));

    live = open();
    assertThat(weightsOf("ip-1")).containsExactly(50, 50);
    live.override("ip-1", o -> o.withWeight("ip-1", OptionalInt.empty(), clock.instant()));
    assertThat(weightsOf("ip-1")).containsExactly(10, 3);
    assertThat(live.current().overrides().all()).isEmpty();
  }

  @Test
  void aSuspensionIsAnOperatorHoldUntilResumedAndEveryChangeReachesSubscribers() throws Exception {
    live.override("ip-2", o -> o.suspend("ip-2", "blocklisted", clock.instant()));

    assertThat(live.current().holds())
        .containsExactly(Suspension.byOperator("ip-2", "blocklisted", clock.instant()));
    assertThat(seen).hasSize(2);
    clock.advance(Duration.ofMinutes(5));
    live.override("ip-2", o -> o.resume("ip-2", clock.instant()));
    assertThat(live.current().holds()).isEmpty();
    assertThat(seen).hasSize(3);
  }

  @Test
  void anOverrideOfAMemberGoneAfterAReloadIsKeptAndReportedUnknown() throws Exception {
    live.override("ip-2", o -> o.suspend("ip-2", "", clock.instant()));
    Files.writeString(routes, ROUTES.replace("name: ip-2", "name: ip-3"));
    live.reload("test");

    assertThat(live.current().unknownOverrides()).containsExactly("ip-2");
    assertThat(live.current().holds()).isEmpty();
    assertThat(live.override("nobody", o -> o.resume("nobody", clock.instant()))).isEmpty();
    // Its override can still be removed.
    assertThat(live.override("ip-2", o -> o.resume("ip-2", clock.instant()))).isPresent();
    assertThat(live.current().overrides().all()).isEmpty();
  }
}
