package dev.sluice.routing.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Headers;
import dev.sluice.routing.config.RouteAction;
import dev.sluice.routing.config.RuleConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleSetTest {
  private static final RouteAction ROUTE =
      new RouteAction(
          "p", Optional.empty(), OptionalInt.empty(), Optional.empty(), null, null, List.of());

  @Test
  void indexedLookupAgreesWithAFirstMatchScanOnRandomPolicies() {
    Random random = new Random(42);
    String[] domains = {
      "a.example", "b.example", "x.a.example", "y.b.example", "c.example", "deep.x.a.example"
    };
    String[] destinations = {"gmail", "outlook", "default"};
    for (int round = 0; round < 200; round++) {
      List<RuleConfig> rules = new ArrayList<>();
      int n = 1 + random.nextInt(12);
      for (int i = 0; i < n; i++) {
        rules.add(new RuleConfig("r" + i, randomMatcher(random, domains, destinations), ROUTE));
      }
      RuleSet set = new RuleSet(rules);
      for (String domain : domains) {
        for (String destination : destinations) {
          for (String type : List.of("bulk", "transactional")) {
            MatchContext c = context(domain, destination, type);
            int expected = -1;
            for (int i = 0; i < rules.size(); i++) {
              if (rules.get(i).match().matches(c)) {
                expected = i;
                break;
              }
            }
            assertThat(set.firstMatch(c))
                .as("round %d %s %s %s", round, domain, destination, type)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void domainRulesAreIndexedNotScanned() {
    List<RuleConfig> rules = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rules.add(
          new RuleConfig(
              "d" + i,
              new RecipientDomainMatcher(DomainSet.of(List.of("c" + i + ".example"))),
              ROUTE));
    }
    rules.add(
        new RuleConfig(
            "g",
            new AllMatcher(
                List.of(
                    new DestinationMatcher(Set.of("gmail")),
                    new MessageTypeMatcher(Set.of("bulk")))),
            ROUTE));
    rules.add(new RuleConfig("t", new MessageTypeMatcher(Set.of("transactional")), ROUTE));
    RuleSet set = new RuleSet(rules);
    assertThat(set.unindexedCount()).isEqualTo(1);
    assertThat(set.firstMatch(context("c57.example", "default", "bulk"))).isEqualTo(57);
    assertThat(set.firstMatch(context("gmail.com", "gmail", "bulk"))).isEqualTo(100);
    assertThat(set.firstMatch(context("yahoo.com", "default", "transactional"))).isEqualTo(101);
    assertThat(set.firstMatch(context("yahoo.com", "default", "bulk"))).isEqualTo(-1);
  }

  private static Matcher randomMatcher(Random random, String[] domains, String[] destinations) {
    int kind = random.nextInt(6);
    return switch (kind) {
      case 0 ->
          new RecipientDomainMatcher(
              DomainSet.of(List.of(domains[random.nextInt(domains.length)])));
      case 1 ->
          new RecipientDomainMatcher(DomainSet.of(List.of("*." + domains[random.nextInt(2)])));
      case 2 -> new DestinationMatcher(Set.of(destinations[random.nextInt(destinations.length)]));
      case 3 -> new MessageTypeMatcher(Set.of(random.nextBoolean() ? "bulk" : "transactional"));
      case 4 ->
          new AllMatcher(
              List.of(
                  randomMatcher(random, domains, destinations),
                  randomMatcher(random, domains, destinations)));
      default -> new NotMatcher(randomMatcher(random, domains, destinations));
    };
  }

  private static MatchContext context(String domain, String destination, String type) {
    return new MatchContext(
        "u@" + domain,
        domain,
        "s.example",
        destination,
        type,
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        Headers.of(List.<Map.Entry<String, String>>of()),
        Instant.EPOCH);
  }
}
