package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Decision;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.testing.EnvelopeBuilder;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** conf/routes.yaml is valid as shipped, and its scenarios route where its comments say. */
class ShippedExampleTest {
  private static final RoutingSnapshot MONDAY_MORNING =
      RoutingSnapshot.allEligible(Instant.parse("2026-11-23T10:00:00Z"));

  @Test
  void loadsAndRoutesItsScenarios() throws Exception {
    RoutesConfig config = RoutesLoader.load(Path.of("..", "conf", "routes.yaml"));
    Router router = new Router(config);
    assertThat(rule(router, EnvelopeBuilder.to("reset@gmail.com").messageType("transactional")))
        .isEqualTo("password-resets");
    assertThat(rule(router, EnvelopeBuilder.to("someone@yahoo.com"))).isEqualTo("default");
    assertThat(config.rules().get(config.rules().size() - 1).match())
        .isInstanceOf(dev.sluice.routing.rules.AlwaysMatcher.class);
  }

  @Test
  void showsTheTrafficDefaultsAndAResponseRulePerBigProvider() throws Exception {
    RoutesConfig config = RoutesLoader.load(Path.of("..", "conf", "routes.yaml"));
    assertThat(config.traffic())
        .as("the traffic: section says its values are the defaults")
        .isEqualTo(TrafficSettings.DEFAULTS);
    ResponseRule yahoo = config.destinations().get("yahoo").responses().get(0);
    assertThat(
            yahoo.pattern().matcher("421 4.7.0 [TS04] Messages from 203.0.113.10 deferred").find())
        .isTrue();
    assertThat(config.destinations().get("gmail").responses()).isNotEmpty();
    assertThat(config.destinations().get("outlook").responses()).isNotEmpty();
  }

  private static String rule(Router router, EnvelopeBuilder envelope) {
    Decision d = router.route(envelope.build(), MONDAY_MORNING);
    assertThat(d).as(String.join("\n", d.trace().lines())).isInstanceOf(Decision.Deliver.class);
    return ((Decision.Deliver) d).rule();
  }
}
