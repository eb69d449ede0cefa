package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.LocalDnsServer;
import dev.sluice.routing.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MxResolverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final MutableClock clock = MutableClock.at("2025-03-01T12:00:00Z");
  private LocalDnsServer dns;
  private MxResolver resolver;

  @BeforeEach
  void startDns() throws Exception {
    dns = LocalDnsServer.start();
    resolver = new MxResolver(List.of(dns.address()), clock, TIMEOUT);
  }

  @AfterEach
  void stopDns() {
    dns.close();
  }

  @Test
  void ordersHostsByPreferenceWithTheirAddresses() throws Exception {
    dns.mx("example.net", 20, "mx2.example.net")
        .mx("example.net", 10, "mx1.example.net")
        .mx("example.net", 30, "mx3.example.net")
        .a("mx1.example.net", "127.0.0.11")
        .aaaa("mx1.example.net", "::1")
        .a("mx2.example.net", "127.0.0.12")
        .a("mx2.example.net", "127.0.0.13")
        .aaaa("mx3.example.net", "fd00::3");

    MxResult result = mx("example.net");

    assertThat(result)
        .isEqualTo(
            new MxResult.Hosts(
                List.of(
                    new MxHost("mx1.example.net", 10, ips("127.0.0.11", "::1")),
                    new MxHost("mx2.example.net", 20, ips("127.0.0.12", "127.0.0.13")),
                    new MxHost("mx3.example.net", 30, ips("fd00::3"))),
                false));
  }

  @Test
  void shufflesHostsOfEqualPreferenceOnEachCall() throws Exception {
    dns.mx("example.net", 10, "a.example.net")
        .mx("example.net", 10, "b.example.net")
        .mx("example.net", 20, "backup.example.net")
        .a("a.example.net", "127.0.0.1")
        .a("b.example.net", "127.0.0.2")
        .a("backup.example.net", "127.0.0.3");
    MxResolver seeded = new MxResolver(List.of(dns.address()), clock, TIMEOUT, new Random(7));

    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      orders.add(names(seeded.resolveMx("example.net").get(5, TimeUnit.SECONDS)));
    }

    assertThat(orders)
        .containsExactlyInAnyOrder(
            List.of("a.example.net", "b.example.net", "backup.example.net"),
            List.of("b.example.net", "a.example.net", "backup.example.net"));
    assertThat(dns.queryCount("example.net")).as("shuffled per call, queried once").isEqualTo(1);
  }

  @Test
  void usesTheDomainItselfWhenItHasNoMx() throws Exception {
    dns.aaaa("plain.example", "fd00::5").a("plain.example", "127.0.0.5");

    assertThat(mx("plain.example"))
        .isEqualTo(
            new MxResult.Hosts(
                List.of(new MxHost("plain.example", 0, ips("127.0.0.5", "fd00::5"))), true));
  }

  @Test
  void domainWithNeitherMxNorAddressHasNoMailHost() throws Exception {
    dns.txt("textonly.example", "v=spf1 -all");

    assertThat(mx("textonly.example"))
        .isEqualTo(new MxResult.NoSuchDomain("textonly.example: no MX and no address (A/AAAA)"));
  }

  @Test
  void nullMxMeansTheDomainTakesNoMail() throws Exception {
    dns.nullMx("nomail.example").a("nomail.example", "127.0.0.5");

    assertThat(mx("nomail.example")).isEqualTo(new MxResult.NullMx());
  }

  @Test
  void nullMxAmongRealHostsIsIgnored() throws Exception {
    dns.nullMx("confused.example")
        .mx("confused.example", 10, "mx.confused.example")
        .a("mx.confused.example", "127.0.0.8");

    assertThat(names(mx("confused.example"))).containsExactly("mx.confused.example");
  }

  @Test
  void nxdomainIsNoSuchDomain() throws Exception {
    dns.mx("gone.example", 10, "mx.gone.example").nxdomain("gone.example");

    assertThat(mx("gone.example"))
        .isEqualTo(new MxResult.NoSuchDomain("gone.example: no such domain (NXDOMAIN)"));
    assertThat(mx("never-heard-of.example")).isInstanceOf(MxResult.NoSuchDomain.class);
  }

  @Test
  void servfailIsATemporaryFailureCachedForTheFloor() throws Exception {
    dns.servfail("broken.example");

    assertThat(mx("broken.example"))
        .isEqualTo(new MxResult.TempFailure("MX lookup for broken.example failed: SERVFAIL"));
    assertThat(mx("broken.example")).isInstanceOf(MxResult.TempFailure.class);
    assertThat(dns.queryCount("broken.example")).isEqualTo(1);

    clock.advance(MxResolver.MIN_TTL);
    mx("broken.example");
    assertThat(dns.queryCount("broken.example")).isEqualTo(2);
  }

  @Test
  void silentServerIsATemporaryFailureWithinTheTimeout() throws Exception {
    dns.silent("slow.example");
    MxResolver impatient = new MxResolver(List.of(dns.address()), clock, Duration.ofMillis(300));

    long start = System.nanoTime();
    MxResult result = impatient.resolveMx("slow.example").get(5, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result)
        .isEqualTo(new MxResult.TempFailure("MX lookup for slow.example failed: timeout"));
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(250))
        .isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void asksTheNextServerWhenTheFirstFails() throws Exception {
    try (LocalDnsServer second = LocalDnsServer.start()) {
      dns.servfail("example.org").servfail("mx.example.org");
      second.mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.4");
      MxResolver twoServers =
          new MxResolver(List.of(dns.address(), second.address()), clock, TIMEOUT);

      MxResult result = twoServers.resolveMx("example.org").get(5, TimeUnit.SECONDS);

      assertThat(names(result)).containsExactly("mx.example.org");
      assertThat(dns.queryCount("example.org")).isEqualTo(1);
    }
  }

  @Test
  void internationalizedDomainIsQueriedAsPunycode() throws Exception {
    dns.mx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example")
        .a("mx.xn--bcher-kva.example", "127.0.0.6");

    assertThat(names(mx("bücher.example"))).containsExactly("mx.xn--bcher-kva.example");
    assertThat(dns.queryCount("xn--bcher-kva.example")).isEqualTo(1);
  }

  @Test
  void answersAreReusedUntilTheirTtlEnds() throws Exception {
    Duration ttl = Duration.ofSeconds(60);
    dns.mx("example.net", 10, "mx.example.net", ttl).a("mx.example.net", "127.0.0.9", ttl);

    mx("example.net");
    assertThat(dns.queryCount("example.net")).isEqualTo(1);
    assertThat(dns.queryCount("mx.example.net")).as("A and AAAA").isEqualTo(2);

    clock.advance(Duration.ofSeconds(59));
    assertThat(names(mx("example.net"))).containsExactly("mx.example.net");
    assertThat(dns.queryCount("example.net")).isEqualTo(1);
    assertThat(dns.queryCount("mx.example.net")).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    assertThat(names(mx("example.net"))).containsExactly("mx.example.net");
    assertThat(dns.queryCount("example.net")).isEqualTo(2);
    assertThat(dns.queryCount("mx.example.net")).isEqualTo(4);
  }

  @Test
  void tinyTtlsAreCachedForTheFloorAndHugeOnesForTheCap() throws Exception {
    dns.mx("tiny.example", 10, "mx.tiny.example", Duration.ZERO)
        .a("mx.tiny.example", "127.0.0.9", Duration.ofDays(7));

    mx("tiny.example");
    clock.advance(MxResolver.MIN_TTL.minusSeconds(1));
    mx("tiny.example");
    assertThat(dns.queryCount("tiny.example")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    mx("tiny.example");
    assertThat(dns.queryCount("tiny.example")).isEqualTo(2);
    assertThat(dns.queryCount("mx.tiny.example")).isEqualTo(2);

    clock.advance(MxResolver.MAX_TTL);
    mx("tiny.example");
    assertThat(dns.queryCount("mx.tiny.example")).isEqualTo(4);
  }

  @Test
  void negativeAnswersAreCachedForTheSoaMinimum() throws Exception {
    dns.negativeTtl(Duration.ofSeconds(30));

    assertThat(mx("missing.example")).isInstanceOf(MxResult.NoSuchDomain.class);
    clock.advance(Duration.ofSeconds(29));
    assertThat(mx("missing.example")).isInstanceOf(MxResult.NoSuchDomain.class);
    assertThat(dns.queryCount("missing.example")).isEqualTo(1);

    dns.mx("missing.example", 10, "mx.missing.example").a("mx.missing.example", "127.0.0.2");
    assertThat(mx("missing.example")).isInstanceOf(MxResult.NoSuchDomain.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(names(mx("missing.example"))).containsExactly("mx.missing.example");
    assertThat(dns.queryCount("missing.example")).isEqualTo(2);
  }

  @Test
  void concurrentLookupsOfOneNameShareOneQuery() throws Exception {
    dns.mx("example.net", 10, "mx.example.net").a("mx.example.net", "127.0.0.9");
    dns.hold("example.net");

    CompletableFuture<MxResult> first = resolver.resolveMx("example.net");
    CompletableFuture<MxResult> second = resolver.resolveMx("example.net");
    assertThat(dns.awaitQueries("example.net", 1, WAIT)).isTrue();
    assertThat(first).as("the caller does not wait for DNS").isNotDone();
    dns.release();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(second.get(5, TimeUnit.SECONDS));
    assertThat(names(first.get())).containsExactly("mx.example.net");
    assertThat(dns.queryCount("example.net")).isEqualTo(1);
  }

  @Test
  void followsCnamesOfTheDomainAndOfMxHosts() throws Exception {
    dns.cname("alias.example", "real.example")
        .mx("real.example", 10, "mail.real.example")
        .cname("mail.real.example", "host.elsewhere.example")
        .a("host.elsewhere.example", "127.0.0.14");

    assertThat(mx("alias.example"))
        .isEqualTo(
            new MxResult.Hosts(
                List.of(new MxHost("mail.real.example", 10, ips("127.0.0.14"))), false));
  }

  @Test
  void leavesOutMxHostsWithoutAddress() throws Exception {
    dns.mx("example.net", 10, "dead.example.net")
        .mx("example.net", 20, "alive.example.net")
        .a("alive.example.net", "127.0.0.9");

    assertThat(mx("example.net"))
        .isEqualTo(
            new MxResult.Hosts(
                List.of(new MxHost("alive.example.net", 20, ips("127.0.0.9"))), false));
  }

  @Test
  void domainWhoseMxHostsAllDoNotExistHasNoMailHost() throws Exception {
    dns.mx("example.net", 10, "dead1.example.net")
        .mx("example.net", 20, "dead2.example.net")
        .txt("dead2.example.net", "no address here");

    assertThat(mx("example.net"))
        .isEqualTo(
            new MxResult.NoSuchDomain(
                "no MX host of example.net has an address:"
                    + " dead1.example.net (NXDOMAIN), dead2.example.net (no A/AAAA)"));
  }

  @Test
  void domainWithAnMxHostFailingForNowIsATemporaryFailure() throws Exception {
    dns.mx("example.net", 10, "dead.example.net")
        .mx("example.net", 20, "broken.example.net")
        .servfail("broken.example.net");

    assertThat(mx("example.net"))
        .isEqualTo(
            new MxResult.TempFailure(
                "no MX host of example.net resolves now:"
                    + " dead.example.net (NXDOMAIN), broken.example.net (SERVFAIL)"));
  }

  @Test
  void mxTargetThatIsAnIpLiteralIsUsedWithoutAQuery() throws Exception {
    dns.mx("sloppy.example", 10, "127.0.0.15");

    assertThat(mx("sloppy.example"))
        .isEqualTo(
            new MxResult.Hosts(List.of(new MxHost("127.0.0.15", 10, ips("127.0.0.15"))), false));
    assertThat(dns.totalQueries()).isEqualTo(1);
  }

  @Test
  void mxPointingAtTheDomainItselfUsesItsAddress() throws Exception {
    dns.mx("self.example", 10, "self.example").a("self.example", "127.0.0.16");

    assertThat(mx("self.example"))
        .isEqualTo(
            new MxResult.Hosts(List.of(new MxHost("self.example", 10, ips("127.0.0.16"))), false));
  }

  @Test
  void resolvesTheSixteenMostPreferredOfManyMxHostsOverTcp() throws Exception {
    for (int i = 0; i < 40; i++) {
      String host = "mail-exchanger-number-" + i + ".many.example";
      dns.mx("many.example", 100 + i, host).a(host, "127.0.1." + i);
    }

    MxResult result = mx("many.example");

    assertThat(names(result))
        .hasSize(MxResolver.MAX_MX_HOSTS)
        .startsWith("mail-exchanger-number-0.many.example")
        .endsWith("mail-exchanger-number-15.many.example");
    assertThat(dns.queryCount("many.example")).as("UDP truncated, then TCP").isEqualTo(2);
  }

  @Test
  void everyAnswerCanComeOverTcp() throws Exception {
    dns.truncateUdp().mx("example.net", 10, "mx.example.net").a("mx.example.net", "127.0.0.9");

    assertThat(names(mx("example.net"))).containsExactly("mx.example.net");
  }

  @Test
  void addressLiteralDomainIsItsOwnHost() throws Exception {
    assertThat(mx("[127.0.0.17]"))
        .isEqualTo(
            new MxResult.Hosts(List.of(new MxHost("127.0.0.17", 0, ips("127.0.0.17"))), true));
    assertThat(mx("[IPv6:fd00::17]")).isInstanceOf(MxResult.Hosts.class);
    assertThat(dns.totalQueries()).isZero();
  }

  @Test
  void resolveHostGivesTheAddressesOfARelayHost() throws Exception {
    dns.a("smtp.relay.example", "127.0.0.18").aaaa("smtp.relay.example", "fd00::18");

    assertThat(resolver.resolveHost("smtp.relay.example").get(5, TimeUnit.SECONDS))
        .isEqualTo(
            new MxResult.Hosts(
                List.of(new MxHost("smtp.relay.example", 0, ips("127.0.0.18", "fd00::18"))),
                false));
    assertThat(resolver.resolveHost("nowhere.relay.example").get(5, TimeUnit.SECONDS))
        .isEqualTo(new MxResult.NoSuchDomain("nowhere.relay.example: no such host (NXDOMAIN)"));
  }

  @Test
  void resolveHostTakesAnIpLiteralWithoutAQuery() throws Exception {
    assertThat(resolver.resolveHost("127.0.0.19").get(5, TimeUnit.SECONDS))
        .isEqualTo(
            new MxResult.Hosts(List.of(new MxHost("127.0.0.19", 0, ips("127.0.0.19"))), false));
    assertThat(resolver.resolveHost("[::1]").get(5, TimeUnit.SECONDS))
        .isEqualTo(new MxResult.Hosts(List.of(new MxHost("::1", 0, ips("::1"))), false));
    assertThat(dns.totalQueries()).isZero();
  }

  @Test
  void invalidDomainIsNoSuchDomainWithoutAQuery() throws Exception {
    assertThat(mx("bad..example")).isInstanceOf(MxResult.NoSuchDomain.class);
    assertThat(mx("")).isInstanceOf(MxResult.NoSuchDomain.class);
    assertThat(dns.totalQueries()).isZero();
  }

  private MxResult mx(String domain) throws Exception {
    return resolver.resolveMx(domain).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<String> names(MxResult result) {
    assertThat(result).isInstanceOf(MxResult.Hosts.class);
    return ((MxResult.Hosts) result).hosts().stream().map(MxHost::name).toList();
  }

  private static List<InetAddress> ips(String... addresses) throws Exception {
    InetAddress[] parsed = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      parsed[i] = InetAddress.getByName(addresses[i]); // literals only: no lookup
    }
    return List.of(parsed);
  }
}
