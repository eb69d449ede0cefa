package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.testing.EnvelopeBuilder;
import dev.sluice.routing.testing.Policies;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

  private static final String POLICY =
      """
      destinations:
        gmail: { domains: [gmail.com, googlemail.com], mx_suffixes: [.google.com] }
      pools:
        transactional:
          members:
            - { name: postmark, weight: 90, relay: { host: smtp.postmarkapp.com } }
            - { name: ses, weight: 10, relay: { host: email-smtp.eu-west-1.amazonaws.com } }
          fallback: [bulk]
        bulk:
          members:
            - { name: ip-10, source_ip: 203.0.113.10 }
            - { name: ip-11, source_ip: 203.0.113.11 }
          fallback: [last-resort]
        last-resort:
          members:
            - { name: backup, relay: { host: backup.example.net } }
        eu:
          members:
            - { name: eu-1, source_ip: 198.51.100.1 }
            - { name: eu-vip, source_ip: 198.51.100.9, tenants: [vip] }
        premium:
          members:
            - { name: prem-1, source_ip: 192.0.2.1 }
      tenants:
        acme: { may_steer: true, pools: [transactional, bulk, premium] }
        shy: { may_steer: false }
        euco: { pools: [eu], networks: [10.20.0.0/16] }
        vip: { pools: [eu], sender_domains: [vip.example] }
      rules:
        - { name: eu-residency, match: { tenant: [euco, vip] }, route: { pool: eu } }
        - { name: resets, match: { message_type: transactional }, route: { pool: transactional, priority: 1 } }
        - { name: bank, match: { recipient_domain: bigbank.example }, route: { pool: premium, fallback: [transactional] } }
        - { name: gmail-bulk, match: { destination: gmail }, route: { pool: bulk } }
        - { name: default, route: { pool: bulk } }
      """;

  private final Router router = new Router(Policies.parse(POLICY));

  private Decision route(EnvelopeBuilder envelope) {
    return router.route(envelope.build(), RoutingSnapshot.allEligible(NOON));
  }

  private Decision route(EnvelopeBuilder envelope, Eligibility eligibility) {
    return router.route(envelope.build(), new RoutingSnapshot(NOON, eligibility));
  }

  private static Eligibility down(String... members) {
    Set<String> set = Set.of(members);
    return (m, destination) ->
        set.contains(m.name())
            ? new MemberVerdict.Ineligible(MemberVerdict.Reason.DOWN, "3 failed probes")
            : MemberVerdict.FULL;
  }

  @Test
  void firstMatchingRuleWinsAndTheTraceSaysWhy() {
    Decision d = route(EnvelopeBuilder.to("bob@gmail.com").messageType("transactional"));
    assertThat(d)
        .isInstanceOfSatisfying(
            Decision.Deliver.class,
            deliver -> {
              assertThat(deliver.rule()).isEqualTo("resets");
              assertThat(deliver.pool()).isEqualTo("transactional");
              assertThat(deliver.priority()).isEqualTo(1);
              assertThat(deliver.destination()).isEqualTo("gmail");
            });
    assertThat(d.trace().lines())
        .anyMatch(
            l ->
                l.startsWith("rule")
                    && l.contains("resets")
                    && l.contains(
                        "matched (#2 of 5): message_type transactional in [transactional]"));
    assertThat(d.trace().lines()).last().asString().startsWith("decision").contains("DELIVER");
  }

  @Test
  void messageTypeDefaultsAndDestinationGroupsRoute() {
    Decision d = route(EnvelopeBuilder.to("bob@GoogleMail.com"));
    assertThat(((Decision.Deliver) d).rule()).isEqualTo("gmail-bulk");
    assertThat(((Decision.Deliver) route(EnvelopeBuilder.to("bob@yahoo.com"))).rule())
        .isEqualTo("default");
  }

  @Test
  void weightedSplitFollowsTheWeights() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      Decision.Deliver d =
          (Decision.Deliver)
              route(EnvelopeBuilder.to("u" + i + "@x.example").messageType("transactional"));
      counts.merge(d.member().name(), 1, Integer::sum);
    }
    assertThat(counts).containsEntry("postmark", 900).containsEntry("ses", 100);
  }

  @Test
  void ineligibleMembersAreDroppedWithTheirReason() {
    Decision d =
        route(EnvelopeBuilder.to("a@x.example").messageType("transactional"), down("postmark"));
    assertThat(((Decision.Deliver) d).member().name()).isEqualTo("ses");
    assertThat(d.trace().lines())
        .anyMatch(l -> l.contains("postmark") && l.contains("dropped: down (3 failed probes)"));
  }

  @Test
  void failsOverThroughThePoolsFallbackOrder() {
    Decision d =
        route(
            EnvelopeBuilder.to("a@x.example").messageType("transactional"),
            down("postmark", "ses"));
    assertThat(((Decision.Deliver) d).pool()).isEqualTo("bulk");
    assertThat(d.trace().lines())
        .anyMatch(
            l -> l.contains("transactional") && l.contains("no eligible member, falls through"));

    d =
        route(
            EnvelopeBuilder.to("a@x.example").messageType("transactional"),
            down("postmark", "ses", "ip-10", "ip-11"));
    assertThat(((Decision.Deliver) d).pool()).isEqualTo("last-resort");
    assertThat(d.trace().lines())
        .anyMatch(l -> l.contains("last-resort") && l.contains("fallback #2"));
  }

  @Test
  void nothingEligibleIsAFallThroughWithReasonCodes() {
    Eligibility quotaOrDown =
        (m, dest) ->
            m.name().startsWith("ip-")
                ? new MemberVerdict.Ineligible(MemberVerdict.Reason.QUOTA, "per_day 100000 used")
                : new MemberVerdict.Ineligible(MemberVerdict.Reason.DOWN, "");
    Decision d = route(EnvelopeBuilder.to("a@x.example"), quotaOrDown);
    assertThat(d)
        .isInstanceOfSatisfying(
            Decision.FallThrough.class,
            f -> {
              assertThat(f.reason()).isEqualTo(Decision.Reason.NO_ELIGIBLE_MEMBER);
              assertThat(f.summary()).isEqualTo("WAIT NO_ELIGIBLE_MEMBER: down, quota");
            });
  }

  @Test
  void ruleFallbackReplacesThePoolsOwn() {
    Decision d = route(EnvelopeBuilder.to("ceo@bigbank.example"), down("prem-1"));
    assertThat(((Decision.Deliver) d).pool()).isEqualTo("transactional");
  }

  @Test
  void routingHeaderIsHonouredForATenantThatMaySteerToAGrantedPool() {
    Decision d =
        route(EnvelopeBuilder.to("a@x.example").tenant("acme").header("X-Route", "premium"));
    assertThat(((Decision.Deliver) d).pool()).isEqualTo("premium");
    assertThat(d.trace().lines()).anyMatch(l -> l.startsWith("steer") && l.contains("honoured"));
  }

  @Test
  void routingHeaderIsIgnoredAndTheTraceSaysWhy() {
    assertThat(
            steerRefusal(
                EnvelopeBuilder.to("a@x.example").tenant("shy").header("X-Route", "premium")))
        .contains("ignored: tenant shy may not steer (may_steer: false)");
    assertThat(steerRefusal(EnvelopeBuilder.to("a@x.example").header("X-Route", "premium")))
        .contains("ignored: no tenant identified");
    assertThat(
            steerRefusal(EnvelopeBuilder.to("a@x.example").tenant("acme").header("X-Route", "eu")))
        .contains("ignored: pool eu is not granted to tenant acme");
    assertThat(
            steerRefusal(
                EnvelopeBuilder.to("a@x.example").tenant("acme").header("X-Route", "nope")))
        .contains("ignored: no pool named 'nope'");
  }

  private String steerRefusal(EnvelopeBuilder envelope) {
    Decision d = route(envelope);
    assertThat(((Decision.Deliver) d).pool()).isEqualTo("bulk");
    return d.trace().lines().stream().filter(l -> l.startsWith("steer")).findFirst().orElseThrow();
  }

  @Test
  void tenantsAreResolvedFromNetworkThenSenderDomain() {
    Decision byNetwork = route(EnvelopeBuilder.to("a@gmail.com").client("10.20.3.4"));
    assertThat(((Decision.Deliver) byNetwork).tenant()).contains("euco");
    assertThat(((Decision.Deliver) byNetwork).pool()).isEqualTo("eu");
    assertThat(byNetwork.trace().lines().get(0)).contains("from client network 10.20.0.0/16");

    Decision bySender = route(EnvelopeBuilder.to("a@gmail.com").from("news@vip.example"));
    assertThat(((Decision.Deliver) bySender).tenant()).contains("vip");
  }

  @Test
  void poolsNotGrantedToTheTenantAreSkippedAndNoneGrantedIsRefused() {
    // euco is granted only eu; a transactional message leads to transactional → bulk → last-resort.
    Router strict =
        new Router(
            Policies.parse(
                POLICY.replace(
                    "  - { name: eu-residency, match: { tenant: [euco, vip] }, route: { pool: eu } }\n",
                    "")));
    Decision d =
        strict.route(
            EnvelopeBuilder.to("a@x.example").tenant("euco").messageType("transactional").build(),
            RoutingSnapshot.allEligible(NOON));
    assertThat(d)
        .isInstanceOfSatisfying(
            Decision.Refuse.class,
            r ->
                assertThat(r.summary())
                    .isEqualTo(
                        "REFUSE NO_POOL_GRANTED: tenant euco is granted none of [transactional, bulk, last-resort]"));
    assertThat(d.trace().lines()).anyMatch(l -> l.contains("skipped, not granted to tenant euco"));
  }

  @Test
  void membersDedicatedToATenantServeOnlyThatTenant() {
    for (int i = 0; i < 10; i++) {
      Decision d = route(EnvelopeBuilder.to("a" + i + "@x.example").tenant("euco"));
      assertThat(((Decision.Deliver) d).member().name()).isEqualTo("eu-1");
    }
    Set<String> vipMembers = new java.util.HashSet<>();
    for (int i = 0; i < 10; i++) {
      vipMembers.add(
          ((Decision.Deliver) route(EnvelopeBuilder.to("a" + i + "@x.example").tenant("vip")))
              .member()
              .name());
    }
    assertThat(vipMembers).containsExactlyInAnyOrder("eu-1", "eu-vip");
  }

  @Test
  void membersAllDedicatedToOtherTenantsAreARefusalNotAWait() {
    Router dedicated =
        new Router(
            Policies.parse(
                """
                pools:
                  vip: { members: [ { name: v1, tenants: [acme] } ], fallback: [vip2] }
                  vip2: { members: [ { name: v2, tenants: [acme] } ] }
                  mixed: { members: [ { name: v3, tenants: [acme] }, { name: open } ] }
                tenants:
                  acme: { networks: [10.0.0.0/8] }
                  other: { networks: [192.168.0.0/16] }
                rules:
                  - { name: mixed, match: { recipient_domain: mixed.example }, route: { pool: mixed } }
                  - { name: default, route: { pool: vip } }
                """));
    Decision other =
        dedicated.route(
            EnvelopeBuilder.to("x@example.com").client("192.168.1.1").build(),
            RoutingSnapshot.allEligible(NOON));
    assertThat(other.summary())
        .isEqualTo(
            "REFUSE NO_MEMBER_FOR_TENANT: tenant other may use no member of [vip, vip2]:"
                + " each is dedicated to other tenants");
    assertThat(other.trace().lines())
        .anyMatch(l -> l.contains("v1") && l.contains("dropped: tenant (dedicated to acme)"));
    assertThat(
            dedicated
                .route(
                    EnvelopeBuilder.to("x@example.com").build(), RoutingSnapshot.allEligible(NOON))
                .summary())
        .startsWith("REFUSE NO_MEMBER_FOR_TENANT: tenant - may use no member of [vip, vip2]");
    // Waiting helps as soon as one member could take the message once it is back.
    assertThat(
            dedicated
                .route(
                    EnvelopeBuilder.to("x@example.com").client("10.1.2.3").build(),
                    new RoutingSnapshot(NOON, down("v1", "v2")))
                .summary())
        .isEqualTo("WAIT NO_ELIGIBLE_MEMBER: down");
    assertThat(
            dedicated
                .route(
                    EnvelopeBuilder.to("x@mixed.example").client("192.168.1.1").build(),
                    new RoutingSnapshot(NOON, down("open")))
                .summary())
        .isEqualTo("WAIT NO_ELIGIBLE_MEMBER: down, tenant");
  }

  @Test
  void withoutACatchAllAnUnmatchedMessageIsRefused() {
    Router noCatchAll =
        new Router(
            Policies.parse(
                "pools:\n  p: { members: [ { name: m } ] }\nrules:\n  - { name: g, match: { recipient_domain: gmail.com }, route: { pool: p } }\n"));
    Decision d =
        noCatchAll.route(
            EnvelopeBuilder.to("a@yahoo.com").build(), RoutingSnapshot.allEligible(NOON));
    assertThat(d.summary()).isEqualTo("REFUSE NO_RULE_MATCHED");
  }

  @Test
  void stickyPoolKeepsARecipientDomainOnOneMemberAndMovesItOnlyWhenThatMemberGoesDown() {
    Router sticky =
        new Router(
            Policies.parse(
                """
                pools:
                  p:
                    stickiness: recipient_domain
                    members: [ { name: a }, { name: b }, { name: c } ]
                rules:
                  - { name: all, route: { pool: p } }
                """));
    String first = member(sticky, "x@stable.example", Eligibility.ALL);
    for (int i = 0; i < 20; i++) {
      assertThat(member(sticky, "user" + i + "@stable.example", Eligibility.ALL)).isEqualTo(first);
    }
    String moved = member(sticky, "x@stable.example", down(first));
    assertThat(moved).isNotEqualTo(first);
    assertThat(member(sticky, "x@stable.example", Eligibility.ALL)).isEqualTo(first);
  }

  @Test
  void internationalDomainsAreOneDomainWhetherWrittenAsULabelsOrALabels() {
    String policy =
        """
        destinations:
          books: { domains: [%1$s] }
        pools:
          sticky:
            stickiness: recipient
            members: [ { name: a }, { name: b }, { name: c } ]
        tenants:
          shop: { sender_domains: [%2$s] }
        rules:
          - { name: to-books, match: { recipient_domain: %1$s }, route: { pool: sticky } }
          - { name: from-shop, match: { sender_domain: %2$s }, route: { pool: sticky } }
          - { name: default, route: { pool: sticky } }
        """;
    String[][] spellings = {
      {"bücher.example", "münchen.example"}, {"xn--bcher-kva.example", "xn--mnchen-3ya.example"}
    };
    for (int written = 0; written < 2; written++) {
      Router idn =
          new Router(
              Policies.parse(policy.formatted(spellings[written][0], spellings[written][1])));
      String[] other = spellings[1 - written];
      Decision.Deliver toBooks =
          (Decision.Deliver)
              idn.route(
                  EnvelopeBuilder.to("x@" + other[0].toUpperCase(java.util.Locale.ROOT)).build(),
                  RoutingSnapshot.allEligible(NOON));
      assertThat(toBooks.rule()).as("recipient_domain as %s", other[0]).isEqualTo("to-books");
      assertThat(toBooks.destination()).isEqualTo("books");
      Decision.Deliver fromShop =
          (Decision.Deliver)
              idn.route(
                  EnvelopeBuilder.to("x@other.example").from("a@" + other[1]).build(),
                  RoutingSnapshot.allEligible(NOON));
      assertThat(fromShop.rule()).as("sender_domain as %s", other[1]).isEqualTo("from-shop");
      assertThat(fromShop.tenant()).contains("shop");
      for (int i = 0; i < 20; i++) {
        assertThat(member(idn, "user" + i + "@" + spellings[0][0], Eligibility.ALL))
            .as("sticky member of user%d", i)
            .isEqualTo(member(idn, "user" + i + "@" + spellings[1][0], Eligibility.ALL));
      }
    }
  }

  private static String member(Router router, String recipient, Eligibility eligibility) {
    Decision d =
        router.route(EnvelopeBuilder.to(recipient).build(), new RoutingSnapshot(NOON, eligibility));
    return ((Decision.Deliver) d).member().name();
  }

  @Test
  void aHeaderLongerThanTheLineLimitIsNotMatchedByARegexAndTheTraceSaysSo() {
    Router campaigns =
        new Router(
            Policies.parse(
                """
                pools:
                  a: { members: [ { name: m1 } ] }
                  b: { members: [ { name: m2 } ] }
                rules:
                  - { name: ids, match: { header: { name: X-Campaign, regex: '^(?:[a-z]|[0-9])+$' } }, route: { pool: a } }
                  - { name: default, route: { pool: b } }
                """));
    Decision d =
        campaigns.route(
            EnvelopeBuilder.to("x@example.com").header("x-campaign", "a1".repeat(20_000)).build(),
            RoutingSnapshot.allEligible(NOON));
    assertThat(((Decision.Deliver) d).rule()).isEqualTo("default");
    assertThat(d.trace().steps())
        .contains(
            new Trace.Step(
                "header",
                "X-Campaign",
                "a value of 40000 characters, over 998: glob and regex tests do not match it"));
  }

  @Test
  void patternsIgnoreTheCaseOfNonAsciiLettersAsEqualsDoes() {
    Router patterns =
        new Router(
            Policies.parse(
                """
                pools:
                  p: { members: [ { name: m } ] }
                rules:
                  - { name: glob, match: { recipient: ['JÖRG@*.de'] }, route: { pool: p } }
                  - { name: regex, match: { header: { name: X-Team, regex: 'ÉQUIPE' } }, route: { pool: p } }
                  - { name: default, route: { pool: p } }
                """));
    for (Map.Entry<EnvelopeBuilder, String> c :
        Map.of(
                EnvelopeBuilder.to("jörg@example.de"), "glob",
                EnvelopeBuilder.to("x@example.com").header("X-Team", "l'équipe"), "regex")
            .entrySet()) {
      Decision d = patterns.route(c.getKey().build(), RoutingSnapshot.allEligible(NOON));
      assertThat(((Decision.Deliver) d).rule()).isEqualTo(c.getValue());
    }
  }

  @Test
  void mxSuffixesAreComparedAsMxHostsAreWhateverWayTheyAreWritten() {
    Router mx =
        new Router(
            Policies.parse(
                """
                destinations:
                  google: { mx_suffixes: [Google.COM.] }
                  books: { mx_suffixes: [.mx.bücher.example] }
                pools:
                  p: { members: [ { name: m } ] }
                rules:
                  - { name: all, route: { pool: p } }
                """));
    assertThat(mx.destinationOfMxHost("aspmx.l.google.com")).isEqualTo("google");
    assertThat(mx.destinationOfMxHost("ASPMX.L.GOOGLE.COM.")).isEqualTo("google");
    assertThat(mx.destinationOfMxHost("in1.mx.xn--bcher-kva.example")).isEqualTo("books");
    assertThat(mx.destinationOfMxHost("google.com.evil.example")).isEqualTo("default");
  }

  @Test
  void headerPriorityIsUsedWhenTheRuleSetsNone() {
    Decision.Deliver d =
        (Decision.Deliver)
            route(EnvelopeBuilder.to("a@x.example").header("X-Priority", "3 (Normal)"));
    assertThat(d.priority()).isEqualTo(3);
    d = (Decision.Deliver) route(EnvelopeBuilder.to("a@x.example").header("X-Priority", "urgent"));
    assertThat(d.priority()).isEqualTo(5);
  }
}
