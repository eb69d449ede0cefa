package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Decision;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.testing.EnvelopeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every recipe of docs/routing-cookbook.md loads, and does what its "Check" line says. */
class RoutingCookbookTest {
  private static final Pattern YAML = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final Instant NOON = Instant.parse("2026-03-03T12:00:00Z");
  private static final List<RoutesConfig> RECIPES = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException, ConfigException {
    String page = Files.readString(Path.of("..", "docs", "routing-cookbook.md"));
    Matcher m = YAML.matcher(page);
    int n = 0;
    while (m.find()) {
      n++;
      RECIPES.add(RoutesLoader.load("routing-cookbook.md, recipe " + n, m.group(1)));
    }
  }

  @Test
  void everyRecipeLoads() {
    assertThat(RECIPES).hasSize(9);
  }

  @Test
  void transactionalAndMarketingApart() {
    Router r = new Router(RECIPES.get(0));
    assertThat(member(r, EnvelopeBuilder.to("a@gmail.com").messageType("transactional"), NOON))
        .isEqualTo("postmark");
    assertThat(
            member(
                r,
                EnvelopeBuilder.to("a@gmail.com")
                    .header("List-Unsubscribe", "<mailto:u@x.example>"),
                NOON))
        .startsWith("ip-2");
  }

  @Test
  void euTenantWaitsRatherThanLeaveTheEu() {
    Router r = new Router(RECIPES.get(1));
    assertThat(member(r, EnvelopeBuilder.to("a@gmail.com").tenant("acme-eu"), NOON))
        .isEqualTo("ip-eu-1");
    Decision none =
        r.route(
            EnvelopeBuilder.to("a@gmail.com").tenant("acme-eu").build(),
            new RoutingSnapshot(
                NOON,
                (member, destination) ->
                    new MemberVerdict.Ineligible(MemberVerdict.Reason.DOWN, "test")));
    assertThat(none).isInstanceOf(Decision.FallThrough.class);
    assertThat(none.trace().toString()).doesNotContain("global");
    assertThat(member(r, EnvelopeBuilder.to("a@gmail.com"), NOON)).isEqualTo("ses-us");
  }

  @Test
  void headerSteeringIsHeardOnlyFromTenantsThatMaySteer() {
    Router r = new Router(RECIPES.get(6));
    EnvelopeBuilder steered =
        EnvelopeBuilder.to("a@gmail.com").client("192.0.2.10").header("X-Route", "newsletters");
    assertThat(member(r, steered, NOON)).isEqualTo("sendgrid");
    EnvelopeBuilder shop =
        EnvelopeBuilder.to("a@gmail.com").client("192.0.2.130").header("X-Route", "newsletters");
    assertThat(member(r, shop, NOON)).isEqualTo("ip-10");
  }

  @Test
  void offPeakDigestsFollowTheClockOfTheirZone() {
    Router r = new Router(RECIPES.get(8));
    EnvelopeBuilder digest = EnvelopeBuilder.to("a@gmail.com").messageType("digest");
    assertThat(member(r, digest, Instant.parse("2026-03-03T04:00:00Z"))).isEqualTo("ip-10");
    assertThat(member(r, digest, Instant.parse("2026-03-03T15:00:00Z"))).isEqualTo("ip-11");
  }

  private static String member(Router router, EnvelopeBuilder envelope, Instant at) {
    Decision d = router.route(envelope.build(), RoutingSnapshot.allEligible(at));
    assertThat(d).isInstanceOf(Decision.Deliver.class);
    return ((Decision.Deliver) d).member().name();
  }
}
