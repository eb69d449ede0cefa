package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.routing.testing.EnvelopeBuilder;
import dev.sluice.routing.testing.Policies;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shares through the whole router, from routes.yaml to decisions. */
class DistributionTest {
  private static final RoutingSnapshot NOW =
      RoutingSnapshot.allEligible(Instant.parse("2026-11-23T12:00:00Z"));

  private static Router pool(String stickiness, String... members) {
    StringBuilder yaml =
        new StringBuilder("pools:\n  p:\n    stickiness: " + stickiness + "\n    members:\n");
    for (String m : members) {
      String[] parts = m.split(":");
      yaml.append("      - { name: ")
          .append(parts[0])
          .append(", weight: ")
          .append(parts[1])
          .append(" }\n");
    }
    yaml.append("rules:\n  - { name: all, route: { pool: p } }\n");
    return new Router(Policies.parse(yaml.toString()));
  }

  private static String member(Router router, String recipient) {
    return ((Decision.Deliver) router.route(EnvelopeBuilder.to(recipient).build(), NOW))
        .member()
        .name();
  }

  @Test
  void seventyThirtyOver100kDecisionsLandsWithinOnePercent() {
    Map<String, Integer> counts = count(pool("none", "a:70", "b:30"), 100_000);
    assertThat(counts.get("a") / 100_000.0).isCloseTo(0.70, within(0.01));
    assertThat(counts.get("b") / 100_000.0).isCloseTo(0.30, within(0.01));
  }

  @Test
  void sixtyTwentyFiveFifteenOver100kDecisionsLandsWithinOnePercent() {
    Map<String, Integer> counts = count(pool("none", "a:60", "b:25", "c:15"), 100_000);
    assertThat(counts.get("a") / 100_000.0).isCloseTo(0.60, within(0.01));
    assertThat(counts.get("b") / 100_000.0).isCloseTo(0.25, within(0.01));
    assertThat(counts.get("c") / 100_000.0).isCloseTo(0.15, within(0.01));
  }

  @Test
  void smoothRoundRobinNeverBurstsBeyondTheWeightShare() {
    Router router = pool("none", "a:70", "b:30");
    String previous = "";
    int run = 0;
    int longestA = 0;
    int longestB = 0;
    for (int i = 0; i < 10_000; i++) {
      String m = member(router, "u" + i + "@x.example");
      run = m.equals(previous) ? run + 1 : 1;
      previous = m;
      if (m.equals("a")) {
        longestA = Math.max(longestA, run);
      } else {
        longestB = Math.max(longestB, run);
      }
    }
    assertThat(longestA).isLessThanOrEqualTo((int) Math.ceil(70.0 / 30.0));
    assertThat(longestB).isEqualTo(1);
  }

  @Test
  void addingAFourthStickyMemberMovesAQuarterOfDomainsAndOnlyOntoIt() {
    Router three = pool("recipient_domain", "a:1", "b:1", "c:1");
    Router four = pool("recipient_domain", "a:1", "b:1", "c:1", "d:1");
    int moved = 0;
    for (int i = 0; i < 10_000; i++) {
      String recipient = "user@domain-" + i + ".example";
      String before = member(three, recipient);
      String after = member(four, recipient);
      if (!before.equals(after)) {
        moved++;
        assertThat(after).as("a moved domain goes to the new member").isEqualTo("d");
      }
    }
    assertThat(moved / 10_000.0).isCloseTo(0.25, within(0.02));
  }

  private static Map<String, Integer> count(Router router, int decisions) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < decisions; i++) {
      counts.merge(member(router, "u" + i + "@x.example"), 1, Integer::sum);
    }
    return counts;
  }
}
