package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.LocalDnsServer;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.testing.Policies;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MxDestinationsTest {
  private static final RoutesConfig ROUTES =
      Policies.parse(
          """
          destinations:
            gmail: { domains: [gmail.com], mx_suffixes: [.google.com] }
          pools:
            direct: { members: [ { name: ip-1 } ] }
            relayed: { members: [ { name: ses, relay: { host: 127.0.0.1, tls: none } } ] }
          rules: [ { name: all, route: { pool: direct } } ]
          """);
  private LocalDnsServer dns;
  private final Router router = new Router(ROUTES);
  private MxDestinations destinations;

  @BeforeEach
  void start() throws Exception {
    dns = LocalDnsServer.start();
    destinations =
        new MxDestinations(
            new MxResolver(List.of(dns.address()), Clock.systemUTC(), Duration.ofSeconds(2)),
            () -> router);
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  @Test
  void aDomainHostedAtAProviderSharesThatProvidersDestination() throws Exception {
    dns.mx("corp.example", 10, "aspmx.l.google.com").a("aspmx.l.google.com", "127.0.0.9");
    assertThat(destinations.destinationOf(member("direct"), "corp.example", "default").get())
        .isEqualTo("gmail");
  }

  @Test
  void aDomainWhoseMxNoDestinationClaimsStaysDefaultAndRelaysAreNotLookedUp() throws Exception {
    dns.mx("small.example", 10, "mail.small.example").a("mail.small.example", "127.0.0.9");
    assertThat(destinations.destinationOf(member("direct"), "small.example", "default").get())
        .isEqualTo("default");
    assertThat(destinations.destinationOf(member("relayed"), "corp.example", "default").get())
        .isEqualTo("default");
    assertThat(dns.queryCount("corp.example")).isZero();
  }

  private static dev.sluice.routing.config.MemberConfig member(String pool) {
    return ROUTES.pools().get(pool).members().get(0);
  }
}
