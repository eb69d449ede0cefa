package dev.sluice.routing.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.routing.Headers;
import dev.sluice.routing.config.RouteAction;
import dev.sluice.routing.config.RuleConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RuleSetTest {
  private static final RouteAction ROUTE =
      new RouteAction(
          "p",
          Optional.empty(),
          OptionalInt.empty(),
          Optional.empty(),
          null,
          null,
          List.of(),
          Optional.empty(),
          false,
          null);

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
            for (List<Map.Entry<String, String>> headers : HEADER_SETS) {
              MatchContext c = context(domain, destination, type, headers);
              int expected = -1;
              for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).match().matches(c)) {
                  expected = i;
                  break;
                }
              }
              assertThat(set.firstMatch(c))
                  .as("round %d %s %s %s %s", round, domain, destination, type, headers)
                  .isEqualTo(expected);
            }
          }
        }
      }
    }
  }

  private static final List<List<Map.Entry<String, String>>> HEADER_SETS =
      List.of(
          List.of(),
          List.of(Map.entry("X-Campaign", "promo-a")),
          List.of(Map.entry("X-Campaign", "Promo-B"), Map.entry("X-Campaign", "news-b")),
          List.of(Map.entry("X-Campaign", "")),
          List.of(Map.entry("X-Campaign", "été")),
          List.of(Map.entry("X-Campaign", "\u0131NTERNAL")),
          List.of(Map.entry("X-Campaign", "\u017Fecond-B")));

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

  @Test
  void aHeaderRepeatedThousandsOfTimesTriesEachIndexedRuleOnce() {
    List<RuleConfig> rules =
        List.of(
            new RuleConfig(
                "tagged", new HeaderMatcher("X-Tag", new TextPattern.Exact("abc")), ROUTE),
            new RuleConfig("all", new AlwaysMatcher(), ROUTE));
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      headers.add(Map.entry("X-Tag", "a"));
    }
    MatchContext c = context("x.example", "default", "bulk", headers);
    RuleSet set = new RuleSet(rules);
    // Tried once per value, the rule that never matches read every value each time: minutes.
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> set.firstMatch(c)))
        .isEqualTo(1);
  }

  @Test
  void theHeaderIndexFindsEveryValueItsMatchersAcceptIgnoringCase() {
    List<RuleConfig> rules =
        List.of(
            new RuleConfig(
                "internal", new HeaderMatcher("X-Tag", new TextPattern.Exact("internal")), ROUTE),
            new RuleConfig("secret", new HeaderMatcher("X-Tag", TextPattern.Glob.of("s*")), ROUTE),
            new RuleConfig("key", new HeaderMatcher("X-Tag", TextPattern.Glob.of("key-*")), ROUTE));
    RuleSet set = new RuleSet(rules);
    // dotless i, long s and the Kelvin sign equal i, s and k ignoring case, as String compares
    Map<String, Integer> expected =
        Map.of("\u0131nternal", 0, "\u017Fecret", 1, "\u212Aey-1", 2, "INTERNAL", 0);
    expected.forEach(
        (value, rule) -> {
          MatchContext c =
              context("x.example", "default", "bulk", List.of(Map.entry("X-Tag", value)));
          assertThat(rules.get(rule).match().matches(c)).as("%s matches", value).isTrue();
          assertThat(set.firstMatch(c)).as("indexed lookup of %s", value).isEqualTo(rule);
        });
  }

  private static Matcher randomMatcher(Random random, String[] domains, String[] destinations) {
    int kind = random.nextInt(9);
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
      case 5 -> new NotMatcher(randomMatcher(random, domains, destinations));
      case 6 ->
          new HeaderMatcher(
              "X-Campaign", new TextPattern.Exact(CAMPAIGNS[random.nextInt(CAMPAIGNS.length)]));
      case 7 ->
          new HeaderMatcher(
              "x-campaign", TextPattern.Glob.of(random.nextBoolean() ? "promo-*" : "*-b"));
      default ->
          new HeaderMatcher(
              "X-Campaign",
              new TextPattern.Regex(
                  Pattern.compile(
                      random.nextBoolean() ? "^Promo-[ab]$" : "^news", Pattern.CASE_INSENSITIVE)));
    };
  }

  private static final String[] CAMPAIGNS = {
    "promo-a", "PROMO-b", "news-b", "", "zed", "internal", "second-b"
  };

  private static MatchContext context(String domain, String destination, String type) {
    return context(domain, destination, type, List.of());
  }

  private static MatchContext context(
      String domain, String destination, String type, List<Map.Entry<String, String>> headers) {
    return new MatchContext(
        "u@" + domain,
        domain,
        "s.example",
        destination,
        type,
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        Headers.of(headers),
        Instant.EPOCH);
  }
}
