package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.routing.rules.AllMatcher;
import dev.sluice.routing.rules.AlwaysMatcher;
import dev.sluice.routing.testing.Policies;
import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RoutesLoaderTest {
  private static final String MINIMAL =
      """
      pools:
        default:
          members:
            - { name: direct }
      rules:
        - { name: all, route: { pool: default } }
      """;

  private static List<String> errors(String yaml) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> RoutesLoader.load("routes.yaml", yaml));
    assertThat(e).as("expected the file to be rejected").isNotNull();
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void loadsTheMinimalPolicyWithDefaults() {
    RoutesConfig config = Policies.parse(MINIMAL);
    assertThat(config.settings()).isEqualTo(RoutingSettings.DEFAULTS);
    MemberConfig direct = config.pools().get("default").members().get(0);
    assertThat(direct).isEqualTo(MemberConfig.direct("direct", 1));
    assertThat(config.rules().get(0).match()).isInstanceOf(AlwaysMatcher.class);
    assertThat(config.traffic()).isEqualTo(TrafficSettings.DEFAULTS);
    RouteAction route = config.rules().get(0).route();
    assertThat(route.recipientRate()).isEmpty();
    assertThat(route.recipientRateOff()).isFalse();
    assertThat(route.onRecipientLimit()).isEqualTo(RecipientLimitPolicy.WAIT);
  }

  @Test
  void readsEveryKeyOfTheTrafficSection() {
    RoutesConfig config =
        Policies.parse(
            MINIMAL
                + """
                traffic:
                  recipient_rate: 20/hour
                  burst_window: 2s
                  health: { window: 10m, min_attempts: 20, degraded_above: 30%, degraded_weight: 40%,
                            recheck: [30s, 2m], ramp_start: 5%, ramp: 1h, probe_failures: 5 }
                  adaptive: { decrease: 70%, cooldown: 1m, increase: 5%, clean_window: 2m, floor: 10% }
                  warmup: { pause_bounce_above: 4%, pause_deferral_above: 30%, min_attempts: 50 }
                  reputation: { window: 12h, min_attempts: 200, bounce_good: 1%, bounce_bad: 8%,
                                complaint_good: 0.1%, complaint_bad: 0.3%, min_weight: 20%, max_step: 2.5% }
                """);
    assertThat(config.traffic())
        .isEqualTo(
            new TrafficSettings(
                Optional.of(new Rate(20, Duration.ofHours(1))),
                Duration.ofSeconds(2),
                new HealthSettings(
                    Duration.ofMinutes(10),
                    20,
                    0.30,
                    0.40,
                    List.of(Duration.ofSeconds(30), Duration.ofMinutes(2)),
                    0.05,
                    Duration.ofHours(1),
                    5),
                new AimdSettings(0.7, Duration.ofMinutes(1), 0.05, Duration.ofMinutes(2), 0.1),
                new WarmupPause(0.04, 0.3, 50),
                new ReputationSettings(
                    Duration.ofHours(12), 200, 0.01, 0.08, 0.001, 0.003, 0.2, 0.025)));
  }

  @Test
  void trafficKeysLeftOutKeepTheirDefaults() {
    RoutesConfig config =
        Policies.parse(
            MINIMAL
                + """
                traffic:
                  recipient_rate: off
                  health: { recheck: 10m }
                  reputation: { bounce_good: 0% }
                """);
    TrafficSettings d = TrafficSettings.DEFAULTS;
    assertThat(config.traffic().recipientRate()).isEmpty();
    assertThat(config.traffic().burstWindow()).isEqualTo(d.burstWindow());
    assertThat(config.traffic().health())
        .isEqualTo(
            new HealthSettings(
                d.health().window(),
                d.health().minAttempts(),
                d.health().degradedAbove(),
                d.health().degradedWeight(),
                List.of(Duration.ofMinutes(10)),
                d.health().rampStart(),
                d.health().ramp(),
                d.health().probeFailures()));
    assertThat(config.traffic().aimd()).isEqualTo(d.aimd());
    assertThat(config.traffic().warmupPause()).isEqualTo(d.warmupPause());
    assertThat(config.traffic().reputation().bounceGood()).isZero();
    assertThat(config.traffic().reputation().bounceBad()).isEqualTo(d.reputation().bounceBad());
  }

  @Test
  void readsResponseRulesOfDestinations() {
    RoutesConfig config =
        Policies.parse(
            """
            destinations:
              yahoo:
                domains: [yahoo.com]
                responses:
                  - { name: yahoo-ts, match: '\\[TS0[1-4]\\]', action: suspend, duration: 4h }
                  - { match: 'user unknown', action: bounce }
              gmail:
                domains: [gmail.com]
                responses:
                  - { match: '4\\.7\\.28', trigger: 3/5m, action: throttle, duration: 30m }
                  - { match: 'rate limited', action: throttle, factor: 25%, duration: 10m }
                  - { match: 'spam campaign', trigger: immediate, action: suspend_tenant, duration: 1h }
            pools: { p: { members: [ { name: m } ] } }
            rules: [ { name: all, route: { pool: p } } ]
            """);
    List<ResponseRule> yahoo = config.destinations().get("yahoo").responses();
    assertThat(yahoo).extracting(ResponseRule::name).containsExactly("yahoo-ts", "user unknown");
    ResponseRule ts = yahoo.get(0);
    assertThat(ts.pattern().matcher("421 4.7.0 [ts04] Messages from 192.0.2.1 deferred").find())
        .as("searched anywhere, case-insensitively")
        .isTrue();
    assertThat(ts.pattern().matcher("421 4.7.0 [TS05] deferred").find()).isFalse();
    assertThat(ts.trigger()).isEmpty();
    assertThat(ts.action()).isEqualTo(new ResponseRule.SuspendMember());
    assertThat(ts.duration()).isEqualTo(Duration.ofHours(4));
    assertThat(yahoo.get(1).action()).isEqualTo(new ResponseRule.Bounce());
    assertThat(yahoo.get(1).duration()).isZero();

    List<ResponseRule> gmail = config.destinations().get("gmail").responses();
    assertThat(gmail.get(0).name()).isEqualTo("4\\.7\\.28");
    assertThat(gmail.get(0).trigger())
        .contains(new ResponseRule.Threshold(3, Duration.ofMinutes(5)));
    assertThat(gmail.get(0).action()).isEqualTo(new ResponseRule.Throttle(0.5));
    assertThat(gmail.get(1).action()).isEqualTo(new ResponseRule.Throttle(0.25));
    assertThat(gmail.get(2).trigger()).isEmpty();
    assertThat(gmail.get(2).action()).isEqualTo(new ResponseRule.SuspendTenant());
    assertThat(config.destinations().get("gmail").rate()).isEmpty();
  }

  @Test
  void readsTenantRatesRecipientRatesAndRelayProbes() {
    RoutesConfig config =
        Policies.parse(
            """
            traffic: { recipient_rate: 5/hour }
            pools:
              p:
                members:
                  - { name: r, relay: { host: smtp.example.com, probe: 1m } }
                  - { name: s, relay: { host: smtp2.example.com } }
            tenants:
              acme: { rate: 10k/hour }
              other: {}
            rules:
              - { name: resets, match: { message_type: transactional },
                  route: { pool: p, recipient_rate: 20/hour, on_recipient_limit: reject } }
              - { name: alerts, match: { message_type: alert }, route: { pool: p, recipient_rate: off } }
              - { name: all, route: { pool: p, on_recipient_limit: wait } }
            """);
    assertThat(config.pools().get("p").members())
        .extracting(m -> m.relay().orElseThrow().probe())
        .containsExactly(Optional.of(Duration.ofMinutes(1)), Optional.empty());
    assertThat(config.tenants().get("acme").rate()).contains(new Rate(10_000, Duration.ofHours(1)));
    assertThat(config.tenants().get("other").rate()).isEmpty();

    TrafficSettings traffic = config.traffic();
    RouteAction resets = config.rules().get(0).route();
    assertThat(resets.recipientRate()).contains(new Rate(20, Duration.ofHours(1)));
    assertThat(resets.recipientRateOff()).isFalse();
    assertThat(resets.onRecipientLimit()).isEqualTo(RecipientLimitPolicy.REJECT);
    assertThat(resets.recipientLimit(traffic)).contains(new Rate(20, Duration.ofHours(1)));
    RouteAction alerts = config.rules().get(1).route();
    assertThat(alerts.recipientRate()).isEmpty();
    assertThat(alerts.recipientRateOff()).isTrue();
    assertThat(alerts.recipientLimit(traffic)).isEmpty();
    RouteAction all = config.rules().get(2).route();
    assertThat(all.recipientRateOff()).isFalse();
    assertThat(all.onRecipientLimit()).isEqualTo(RecipientLimitPolicy.WAIT);
    assertThat(all.recipientLimit(traffic)).contains(new Rate(5, Duration.ofHours(1)));
  }

  @Test
  void loadsTheExampleOfTheDesignDocument() {
    RoutesConfig config =
        Policies.parse(
            """
            pools:
              transactional:
                members:
                  - { name: postmark, weight: 90, relay: { host: smtp.postmarkapp.com, port: 587, tls: required,
                      auth: { username: "u", password_env: POSTMARK_TOKEN } } }
                  - { name: ses, weight: 10, relay: { host: email-smtp.eu-west-1.amazonaws.com, port: 587 } }
                fallback: [ bulk ]
              bulk:
                members:
                  - { name: ip-10, source_ip: 203.0.113.10, ehlo: mta10.example.com, weight: 50,
                      limits: { per_day: 100k }, warmup: { start: 100/day, growth: 15% } }
            rules:                                            # first match wins
              - { name: password-resets, match: { message_type: transactional }, route: { pool: transactional, priority: 1 } }
              - { name: default, route: { pool: bulk } }
            """);
    MemberConfig postmark = config.pools().get("transactional").members().get(0);
    assertThat(postmark.relay().orElseThrow().auth().orElseThrow().password())
        .isEqualTo(new SecretRef.FromEnv("POSTMARK_TOKEN"));
    MemberConfig ip10 = config.pools().get("bulk").members().get(0);
    assertThat(ip10.limits().perDay()).isEqualTo(OptionalLong.of(100_000));
    assertThat(ip10.warmup()).contains(new WarmupConfig.Curve(100, 0.15, OptionalLong.empty()));
    assertThat(config.rules().get(0).route().priority()).hasValue(1);
  }

  @Test
  void readsSettingsDestinationsTenantsAndRouteActions() {
    RoutesConfig config =
        Policies.parse(
            """
            routing:
              route_header: X-Pool
              message_type_header: X-Kind
              default_message_type: newsletter
              priority_header: X-Urgency
              default_priority: 7
              time_zone: Europe/Paris
              strip_routing_headers: false
            destinations:
              gmail: { domains: [gmail.com, googlemail.com], mx_suffixes: [.google.com], connections: 20, rate: 500/min, messages_per_connection: 100 }
            pools:
              p: { members: [ { name: m } ], stickiness: recipient_domain }
            tenants:
              acme: { pools: [p], may_steer: true, networks: [10.0.0.0/8], sender_domains: ["*.acme.example"] }
            rules:
              - name: r
                match: { destination: gmail, tenant: acme }
                route: { pool: p, fallback: [], priority: 2, rate: 100/min, dkim: required, on_hard_bounce: retry, tags: [a, b] }
              - { name: rest, route: { pool: p } }
            """);
    assertThat(config.settings().routeHeader()).isEqualTo("X-Pool");
    assertThat(config.settings().timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(config.settings().stripRoutingHeaders()).isFalse();
    DestinationConfig gmail = config.destinations().get("gmail");
    assertThat(gmail.mxSuffixes()).containsExactly(".google.com");
    assertThat(gmail.rate()).contains(new Rate(500, Duration.ofMinutes(1)));
    assertThat(config.pools().get("p").stickiness()).isEqualTo(Stickiness.RECIPIENT_DOMAIN);
    TenantConfig acme = config.tenants().get("acme");
    assertThat(acme.maySteer()).isTrue();
    assertThat(acme.isGranted("p")).isTrue();
    assertThat(acme.isGranted("other")).isFalse();
    RouteAction route = config.rules().get(0).route();
    assertThat(route.dkim()).isEqualTo(RouteAction.DkimPolicy.REQUIRED);
    assertThat(route.onHardBounce()).isEqualTo(RouteAction.HardBouncePolicy.RETRY);
    assertThat(route.tags()).containsExactly("a", "b");
    assertThat(config.rules().get(0).match()).isInstanceOf(AllMatcher.class);
  }

  @Test
  void tenantsCarryHashedAuthIdentitiesAndSenderRestrictions() {
    String bcrypt = "$2b$12$" + "a".repeat(53);
    RoutesConfig config =
        Policies.parse(
            """
            pools: { p: { members: [ { name: m } ] } }
            tenants:
              acme:
                sender_domains: [acme.example]
                restrict_senders: true
                users: [ { username: acme-app, password_hash: "HASH" } ]
            rules: [ { name: all, route: { pool: p } } ]
            """
                .replace("HASH", bcrypt));
    TenantConfig acme = config.tenants().get("acme");
    assertThat(acme.restrictSenders()).isTrue();
    assertThat(acme.users()).containsExactly(new TenantUser("acme-app", bcrypt));
    assertThat(acme.users().get(0).toString()).doesNotContain(bcrypt);
    assertThat(
            errors(
                """
                pools: { p: { members: [ { name: m } ] } }
                tenants:
                  a: { users: [ { username: app, password_hash: "HASH" } ] }
                  b: { users: [ { username: app, password_hash: "HASH" } ] }
                rules: [ { name: all, route: { pool: p } } ]
                """
                    .replace("HASH", bcrypt)))
        .containsExactly("routes.yaml:4:29: user 'app' is already a user of tenant 'a'");
  }

  @Test
  void unknownKeysAreRejectedWithASuggestion() {
    assertThat(
            errors(
                """
                pools:
                  default:
                    memebrs:
                      - { name: direct }
                rules:
                  - { name: all, route: { pool: default, priorty: 3 } }
                """))
        .containsExactly(
            "routes.yaml:3:5: unknown key 'memebrs' in pool 'default' (did you mean 'members'?)",
            "routes.yaml:3:5: pool 'default' needs 'members' (at least one source IP or relay)",
            "routes.yaml:6:42: unknown key 'priorty' in route of rule 'all' (did you mean 'priority'?)");
  }

  @Test
  void everyErrorIsReportedAtOnceInFileOrder() {
    List<String> errors =
        errors(
            """
            pools:
              default:
                members:
                  - { name: direct, weight: 0 }
                  - { name: relay1, relay: { host: "bad host", port: 99999 } }
                fallback: [ defualt-backup ]
            rules:
              - { name: all, match: { recipient_domain: "not a domain" }, route: { pool: missing } }
            """);
    assertThat(errors)
        .containsExactly(
            "routes.yaml:4:33: weight of member 'direct' of pool 'default' must be between 1 and 1000000, not 0",
            "routes.yaml:5:40: host of relay of member 'relay1' of pool 'default': 'bad host' is not a host name or IP address",
            "routes.yaml:5:58: port of relay of member 'relay1' of pool 'default' must be between 1 and 65535, not 99999",
            "routes.yaml:6:17: fallback of pool 'default': pool 'defualt-backup' is not defined",
            "routes.yaml:8:45: recipient_domain in rule 'all': 'not a domain' is not a domain or *.domain wildcard",
            "routes.yaml:8:78: pool of route of rule 'all': pool 'missing' is not defined");
  }

  @Test
  void danglingReferencesSuggestTheClosestName() {
    assertThat(
            errors(
                """
                destinations:
                  gmail: { domains: [gmail.com] }
                pools:
                  eu-west: { members: [ { name: m } ] }
                tenants:
                  acme: { pools: [eu-wset] }
                rules:
                  - { name: eu, match: { tenant: acme-corp, destination: gmial }, route: { pool: eu } }
                  - { name: all, route: { pool: eu-west } }
                """))
        .containsExactly(
            "routes.yaml:6:19: pools of tenant 'acme': pool 'eu-wset' is not defined (did you mean 'eu-west'?)",
            "routes.yaml:8:34: tenant in rule 'eu': tenant 'acme-corp' is not defined",
            "routes.yaml:8:58: destination in rule 'eu': destination 'gmial' is not defined (did you mean 'gmail'?)",
            "routes.yaml:8:82: pool of route of rule 'eu': pool 'eu' is not defined (did you mean 'eu-west'?)");
  }

  @Test
  void fallbackCyclesAreReportedOnce() {
    assertThat(
            errors(
                """
                pools:
                  a: { members: [ { name: m1 } ], fallback: [b] }
                  b: { members: [ { name: m2 } ], fallback: [c] }
                  c: { members: [ { name: m3 } ], fallback: [a] }
                  d: { members: [ { name: m4 } ], fallback: [d] }
                  x: { members: [ { name: m5 } ], fallback: [z] }
                  y: { members: [ { name: m6 } ], fallback: [z] }
                  z: { members: [ { name: m7 } ], fallback: [y] }
                rules:
                  - { name: all, route: { pool: a } }
                """))
        .containsExactly(
            "routes.yaml:2:45: fallback cycle: a → b → c → a",
            "routes.yaml:5:45: fallback cycle: d → d",
            "routes.yaml:7:45: fallback cycle: y → z → y");
  }

  @Test
  void fallbackChainsAreCheckedForCyclesInLinearTime() {
    // Each pool falls back to the next two: following every path took seconds at 36 pools,
    // minutes at 45, and would not end at 60.
    StringBuilder yaml = new StringBuilder("pools:\n");
    for (int i = 0; i < 60; i++) {
      yaml.append("  p").append(i).append(": { members: [ { name: m").append(i).append(" } ]");
      if (i + 2 < 60) {
        yaml.append(", fallback: [p").append(i + 1).append(", p").append(i + 2).append("]");
      }
      yaml.append(" }\n");
    }
    yaml.append("rules:\n  - { name: all, route: { pool: p0 } }\n");
    RoutesConfig config =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> RoutesLoader.load("routes.yaml", yaml.toString()));
    assertThat(config.pools()).hasSize(60);
  }

  @Test
  void aMemberInTwoPoolsMustHaveTheSameSettingsButMayWeighDifferently() {
    Policies.parse(
        """
        pools:
          a: { members: [ { name: ip1, source_ip: 192.0.2.1, weight: 90 } ] }
          b: { members: [ { name: ip1, source_ip: 192.0.2.1, weight: 10 } ] }
        rules:
          - { name: all, route: { pool: a } }
        """);
    assertThat(
            errors(
                """
                pools:
                  a: { members: [ { name: ip1, source_ip: 192.0.2.1 } ] }
                  b: { members: [ { name: ip1, source_ip: 192.0.2.2 } ] }
                rules:
                  - { name: all, route: { pool: a } }
                """))
        .singleElement()
        .asString()
        .startsWith(
            "routes.yaml:3:19: member 'ip1' of pool 'b' conflicts with member 'ip1' of pool 'a'");
  }

  @Test
  void inlinePasswordsAreRefusedWithoutEchoingThem() {
    List<String> errors =
        errors(
            """
            pools:
              p:
                members:
                  - name: r
                    relay:
                      host: smtp.example.com
                      auth: { username: u, password: hunter2 }
            rules:
              - { name: all, route: { pool: p } }
            """);
    assertThat(errors)
        .containsExactly(
            "routes.yaml:7:32: auth of relay of member 'r' of pool 'p': an inline password is not accepted;"
                + " use password_env (an environment variable) or password_file");
    assertThat(String.join("\n", errors)).doesNotContain("hunter2");
  }

  @Test
  void rulesAfterACatchAllCanNeverMatch() {
    assertThat(
            errors(
                """
                pools:
                  p: { members: [ { name: m } ] }
                rules:
                  - { name: everything, route: { pool: p } }
                  - { name: gmail, match: { recipient_domain: gmail.com }, route: { pool: p } }
                """))
        .containsExactly(
            "routes.yaml:5:5: rule 'gmail' can never match: rule 'everything' above it matches everything");
  }

  @Test
  void duplicateNamesKeysAndDomainsAreReported() {
    assertThat(
            errors(
                """
                destinations:
                  gmail: { domains: [gmail.com] }
                  google: { domains: [GMAIL.com] }
                pools:
                  p: { members: [ { name: m }, { name: m } ] }
                  p: { members: [ { name: n } ] }
                rules:
                  - { name: r, route: { pool: p } }
                  - { name: r, match: { message_type: x }, route: { pool: p } }
                """))
        .contains(
            "routes.yaml:3:23: destination 'google': 'gmail.com' already belongs to destination 'gmail'",
            "routes.yaml:5:32: pool 'p' lists member 'm' twice",
            "routes.yaml:6:3: duplicate key 'p' in pools",
            "routes.yaml:9:13: duplicate rule name 'r'");
  }

  @Test
  void badUnitsSayWhatWasExpected() {
    assertThat(
            errors(
                """
                pools:
                  p:
                    members:
                      - { name: m, limits: { per_day: lots, rate: 500/fortnight }, warmup: { start: 100/hour, growth: 15 } }
                rules:
                  - { name: r, route: { pool: p } }
                """))
        .containsExactly(
            "routes.yaml:4:39: per_day of limits of member 'm' of pool 'p': 'lots' is not a count (expected a number such as 500, 10k or 1.5M)",
            "routes.yaml:4:51: rate of limits of member 'm' of pool 'p': 'fortnight' is not a duration (expected e.g. 30s, 5m, 4h, 1h30m or 5d)",
            "routes.yaml:4:85: start of warmup of member 'm' of pool 'p' is a daily volume: write it as N/day",
            "routes.yaml:4:103: growth of warmup of member 'm' of pool 'p': '15' is not a percentage (expected e.g. 15%)");
  }

  @Test
  void matcherSyntaxErrorsArePrecise() {
    List<String> errors =
        errors(
            """
            pools:
              p: { members: [ { name: m } ] }
            rules:
              - name: r1
                match:
                  header: { name: X-Campaign, regex: "promo-(" }
                  time: { days: mon-fry, hours: "9-17", zone: Mars/Olympus }
                  priority: 11
                  client_network: 10.1.2.3/8
                route: { pool: p }
              - name: r2
                match: { header: { name: X-A, equals: x, glob: "y*" }, stickiness: x }
                route: { pool: p }
            """);
    assertThat(errors)
        .hasSize(8)
        .anyMatch(
            e -> e.startsWith("routes.yaml:6:42: header in rule 'r1': bad regular expression"))
        .contains(
            "routes.yaml:7:21: days of time in rule 'r1': 'mon-fry' is not a day or range (use mon, tue, …, sun; e.g. mon-fri)",
            "routes.yaml:7:37: hours of time in rule 'r1' must look like 09:00-17:00",
            "routes.yaml:7:51: zone of time in rule 'r1': 'Mars/Olympus' is not a time zone (e.g. Europe/Paris, UTC)",
            "routes.yaml:8:17: priority in rule 'r1' must be a priority 1-10 or a range such as 1-3, not '11'",
            "routes.yaml:9:23: client_network in rule 'r1': '10.1.2.3/8' has host bits set (did you mean '10.0.0.0/8'?)",
            "routes.yaml:12:22: header in rule 'r2' needs exactly one of equals, glob, regex or present",
            "routes.yaml:12:60: unknown key 'stickiness' in match of rule 'r2'");
  }

  @Test
  void structuralProblemsAreExplained() {
    assertThat(errors(""))
        .containsExactly("routes.yaml:1:1: the file is empty: it needs 'pools' and 'rules'");
    assertThat(errors("pools: [a, b]\nrules: []\n"))
        .containsExactly(
            "routes.yaml:1:8: pools must be a mapping (key: value)",
            "routes.yaml:2:8: rules is empty: add at least a catch-all rule");
    assertThat(errors("pools:\n  p: { members: [ { name: m } ]\nrules: x\n"))
        .singleElement()
        .asString()
        .startsWith("routes.yaml:3:1: YAML syntax:");
    assertThat(errors("rules:\n  - { name: r, route: { pool: p } }\n"))
        .contains("routes.yaml:1:1: routes.yaml needs 'pools' (at least one pool with members)");
  }

  @Test
  void relayMembersNeedCompleteCredentialReferences() {
    assertThat(
            errors(
                """
                pools:
                  p:
                    members:
                      - { name: r, relay: { host: smtp.example.com, tls: sometimes, auth: { username: u } } }
                      - { name: s, source_ip: mta.example.com, ehlo: "-bad-" }
                rules:
                  - { name: r, route: { pool: p } }
                """))
        .containsExactly(
            "routes.yaml:4:58: tls of relay of member 'r' of pool 'p' must be one of opportunistic, required, implicit, none, not 'sometimes'",
            "routes.yaml:4:75: auth of relay of member 'r' of pool 'p' needs exactly one of password_env or password_file",
            "routes.yaml:5:31: source_ip of member 's' of pool 'p': 'mta.example.com' is not an IP address",
            "routes.yaml:5:54: ehlo of member 's' of pool 'p': '-bad-' is not a host name");
  }

  @Test
  void mergeKeysReuseAMemberDefinition() {
    RoutesConfig config =
        Policies.parse(
            """
            pools:
              a:
                members:
                  - &ip1 { name: ip1, source_ip: 192.0.2.1, limits: { per_day: 10k } }
              b:
                members:
                  - { <<: *ip1, weight: 5 }
            rules:
              - { name: r, route: { pool: a } }
            """);
    assertThat(config.pools().get("b").members().get(0))
        .isEqualTo(config.pools().get("a").members().get(0).withWeight(5));
  }

  @Test
  void aMergeSourceMayItselfMergeAndItsOwnKeysWin() {
    RoutesConfig config =
        Policies.parse(
            """
            pools:
              p:
                members:
                  - &a { name: m1, weight: 2 }
                  - &b { <<: *a, name: m2 }
                  - { <<: *b, name: m3, weight: 5 }
                  - { <<: [ *b, { name: ignored, weight: 9 } ], name: m4 }
            rules:
              - { name: r, route: { pool: p } }
            """);
    assertThat(config.pools().get("p").members())
        .extracting(MemberConfig::name, MemberConfig::weight)
        .containsExactly(tuple("m1", 2), tuple("m2", 2), tuple("m3", 5), tuple("m4", 2));
  }

  @Test
  void poolsAndTenantsBroughtInByAMergeKeyCanBeReferenced() {
    RoutesConfig config =
        Policies.parse(
            """
            pools:
              <<: { q: { members: [ { name: m9 } ] } }
              p: { members: [ { name: m1 } ], fallback: [ q ] }
            tenants:
              <<: { acme: { pools: [ q ] } }
            rules:
              - { name: acme, match: { tenant: acme }, route: { pool: q } }
              - { name: r, route: { pool: p } }
            """);
    assertThat(config.pools()).containsOnlyKeys("p", "q");
    assertThat(config.pools().get("p").fallback()).containsExactly("q");
    assertThat(config.tenants()).containsOnlyKeys("acme");
  }
}
