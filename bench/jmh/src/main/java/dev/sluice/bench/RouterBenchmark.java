package dev.sluice.bench;

import dev.sluice.routing.Decision;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Headers;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.RoutesLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing decisions per second against a 1,000-rule policy: 950 recipient-domain rules (some with
 * two or three domains, one in ten a {@code *.} wildcard), 40 header rules (regex, glob, equals), 9
 * message-type rules spread through the list, and a catch-all at the end.
 *
 * <p>Each benchmark rotates through 1,024 pre-built envelopes (distinct recipients and domains) so
 * that the JIT cannot fold a single lookup into a constant. Every envelope carries the headers a
 * real submission would ({@code X-Campaign}, {@code X-Message-Type}, {@code X-Mailer}), with values
 * that no header rule matches, so header and message-type rules are really evaluated rather than
 * short-circuited on an absent header.
 *
 * <p>Run with {@code bench/routing-decisions.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RouterBenchmark {
  /** Rules before the catch-all: 950 domain rules, 40 header rules, 9 message-type rules. */
  static final int SPECIFIC_RULES = 999;

  static final int ENVELOPES = 1024; // a power of two: the rotation is a mask, not a modulo

  private static final int MASK = ENVELOPES - 1;
  private static final String CATCH_ALL = "catch-all";

  private Router router;
  private RoutingSnapshot snapshot;
  private Envelope[] domainHits;
  private Envelope[] catchAlls;
  private Envelope[] wildcardHits;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws ConfigException {
    Policy policy = Policy.generate();
    router = new Router(RoutesLoader.load("bench-routes.yaml", policy.yaml));
    snapshot = RoutingSnapshot.allEligible(Instant.parse("2025-06-02T10:15:30Z"));

    // Rules in the middle of the list: roughly rules #450 to #550 of 1,000.
    List<int[]> middleExact = policy.exactDomainRules(450, 550);
    List<int[]> middleWildcard = policy.wildcardDomainRules(400, 600);

    domainHits = new Envelope[ENVELOPES];
    catchAlls = new Envelope[ENVELOPES];
    wildcardHits = new Envelope[ENVELOPES];
    String[] expectedDomainRule = new String[ENVELOPES];
    String[] expectedWildcardRule = new String[ENVELOPES];
    for (int k = 0; k < ENVELOPES; k++) {
      int[] exact = middleExact.get(k % middleExact.size());
      domainHits[k] = envelope("user" + k + "@" + Policy.exactDomain(exact[0], k), k);
      expectedDomainRule[k] = Policy.domainRuleName(exact[0]);

      catchAlls[k] = envelope("user" + k + "@nomatch" + k + ".test", k);

      int[] wildcard = middleWildcard.get(k % middleWildcard.size());
      wildcardHits[k] =
          envelope("user" + k + "@mx" + (k % 7) + ".eu." + Policy.wildcardBase(wildcard[0]), k);
      expectedWildcardRule[k] = Policy.domainRuleName(wildcard[0]);
    }

    // A benchmark of the wrong path is worse than none: check every envelope routes as intended.
    for (int k = 0; k < ENVELOPES; k++) {
      expect(domainHits[k], expectedDomainRule[k]);
      expect(catchAlls[k], CATCH_ALL);
      expect(wildcardHits[k], expectedWildcardRule[k]);
    }
    next = 0;
  }

  private void expect(Envelope envelope, String rule) {
    Decision decision = router.route(envelope, snapshot);
    if (!(decision instanceof Decision.Deliver deliver) || !deliver.rule().equals(rule)) {
      throw new IllegalStateException(
          envelope.recipient() + " should match rule " + rule + " but got " + decision.summary());
    }
  }

  /** Headers with values that no header or message-type rule of the policy matches. */
  private static Envelope envelope(String recipient, int k) {
    Headers headers =
        Headers.of(
            List.of(
                Map.entry("X-Campaign", "weekly-digest-" + k),
                Map.entry("X-Message-Type", "notification"),
                Map.entry("X-Mailer", "sluice-bench/" + (k % 5))));
    return new Envelope(
        "bounces+" + k + "@sender.example",
        recipient,
        headers,
        Optional.empty(),
        Optional.of("10.1." + (k >> 8) + "." + (k & 0xff)));
  }

  private Envelope rotate(Envelope[] envelopes) {
    return envelopes[next++ & MASK];
  }

  /** A recipient whose exact domain is indexed, by a rule in the middle of the list. */
  @Benchmark
  public Decision routeDomainRuleHit() {
    return router.route(rotate(domainHits), snapshot);
  }

  /**
   * A recipient no specific rule matches: every unindexed rule is evaluated, then the catch-all.
   */
  @Benchmark
  public Decision routeCatchAll() {
    return router.route(rotate(catchAlls), snapshot);
  }

  /** A recipient two labels below a {@code *.} wildcard domain of a rule in the middle. */
  @Benchmark
  public Decision routeWildcardHit() {
    return router.route(rotate(wildcardHits), snapshot);
  }

  /** The generated routes.yaml and where its rules sit. */
  static final class Policy {
    final String yaml;

    /** Per domain rule: {domain rule number, position in the rule list}. */
    private final List<int[]> domainRules;

    private Policy(String yaml, List<int[]> domainRules) {
      this.yaml = yaml;
      this.domainRules = domainRules;
    }

    static String domainRuleName(int d) {
      return "domain-" + d;
    }

    static boolean isWildcard(int d) {
      return d % 10 == 7;
    }

    /** One of the exact domains of domain rule {@code d} (it has one, two or three). */
    static String exactDomain(int d, int k) {
      int count = domainCount(d);
      int which = k % count;
      return which == 0
          ? "customer" + d + ".example"
          : which == 1 ? "mail.customer" + d + ".example" : "customer" + d + "-eu.example";
    }

    static String wildcardBase(int d) {
      return "wildcard" + d + ".example";
    }

    private static int domainCount(int d) {
      return d % 7 == 2 ? 3 : d % 3 == 1 ? 2 : 1;
    }

    List<int[]> exactDomainRules(int fromPosition, int toPosition) {
      return domainRules.stream()
          .filter(r -> r[1] >= fromPosition && r[1] < toPosition && !isWildcard(r[0]))
          .toList();
    }

    List<int[]> wildcardDomainRules(int fromPosition, int toPosition) {
      return domainRules.stream()
          .filter(r -> r[1] >= fromPosition && r[1] < toPosition && isWildcard(r[0]))
          .toList();
    }

    static Policy generate() {
      StringBuilder y = new StringBuilder(160 * 1024);
      y.append("routing:\n  default_message_type: bulk\n\n");
      y.append("pools:\n");
      pool(y, "transactional", 3, "192.0.2.", 10, 60, 30, 10);
      pool(y, "marketing", 4, "198.51.100.", 20, 25, 25, 25, 25);
      y.append("    fallback: [bulk]\n");
      pool(y, "bulk", 3, "198.51.100.", 40, 50, 30, 20);
      pool(y, "partners", 2, "203.0.113.", 10, 70, 30);
      y.append("  relay:\n    members:\n");
      for (int i = 0; i < 2; i++) {
        y.append("      - {name: relay-")
            .append(i)
            .append(", weight: ")
            .append(i == 0 ? 3 : 1)
            .append(", relay: {host: smtp")
            .append(i)
            .append(".relay.example, port: 587}}\n");
      }
      String[] domainPools = {"transactional", "marketing", "bulk", "partners", "relay"};

      y.append("\nrules:\n");
      List<int[]> domainRules = new ArrayList<>();
      int d = 0;
      int h = 0;
      int m = 0;
      for (int p = 0; p < SPECIFIC_RULES; p++) {
        if (p % 25 == 12) {
          headerRule(y, h++);
        } else if (p % 111 == 55) {
          y.append("  - name: type-")
              .append(m)
              .append("\n    match: {message_type: [mt")
              .append(m)
              .append("-receipt, mt")
              .append(m)
              .append("-alert]}\n    route: {pool: transactional}\n");
          m++;
        } else {
          y.append("  - name: ").append(domainRuleName(d)).append("\n    match:\n");
          y.append("      recipient_domain: [");
          if (isWildcard(d)) {
            y.append("\"*.").append(wildcardBase(d)).append('"');
          } else {
            for (int i = 0; i < domainCount(d); i++) {
              y.append(i == 0 ? "" : ", ").append(exactDomain(d, i));
            }
          }
          y.append("]\n    route: {pool: ").append(domainPools[d % domainPools.length]);
          y.append("}\n");
          domainRules.add(new int[] {d, p});
          d++;
        }
      }
      y.append("  - name: ").append(CATCH_ALL).append("\n    route: {pool: bulk}\n");
      if (d != 950 || h != 40 || m != 9) {
        throw new IllegalStateException(d + " domain, " + h + " header, " + m + " type rules");
      }
      return new Policy(y.toString(), domainRules);
    }

    private static void pool(
        StringBuilder y, String name, int members, String net, int firstHost, int... weights) {
      y.append("  ").append(name).append(":\n    members:\n");
      for (int i = 0; i < members; i++) {
        y.append("      - {name: ")
            .append(name)
            .append('-')
            .append(i)
            .append(", weight: ")
            .append(weights[i])
            .append(", source_ip: ")
            .append(net)
            .append(firstHost + i)
            .append("}\n");
      }
    }

    /** Four kinds in turn: a regex, a glob, an exact value, a regex on another header. */
    private static void headerRule(StringBuilder y, int h) {
      y.append("  - name: header-").append(h).append("\n    match:\n      header: {name: ");
      switch (h % 4) {
        case 0 -> y.append("X-Campaign, regex: '^promo-").append(h).append("-[0-9]+$'");
        case 1 -> y.append("X-Campaign, glob: 'newsletter-").append(h).append("-*'");
        case 2 -> y.append("X-Mailer, equals: 'tenant-mailer-").append(h).append('\'');
        default -> y.append("X-List-Id, regex: '^<list").append(h).append("\\.[a-z]+\\.example>$'");
      }
      y.append("}\n    route: {pool: ").append(h % 2 == 0 ? "marketing" : "bulk").append("}\n");
    }
  }
}
