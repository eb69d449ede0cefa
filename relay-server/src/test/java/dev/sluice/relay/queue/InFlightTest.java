package dev.sluice.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.testing.Policies;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.traffic.TrafficControl;
import dev.sluice.routing.traffic.TrafficEvent;
import org.junit.jupiter.api.Test;

class InFlightTest {
  private static final RoutesConfig ROUTES =
      Policies.parse(
          """
          destinations:
            gmail: { domains: [gmail.com], connections: 2 }
          pools:
            p:
              members:
                - { name: ip-1, source_ip: 192.0.2.1, limits: { connections: 3 } }
                - { name: ip-2, source_ip: 192.0.2.2 }
          rules: [ { name: all, route: { pool: p } } ]
          """);
  private static final TrafficControl TRAFFIC =
      new TrafficControl(ROUTES, new LocalTrafficStore(), TrafficEvent.Sink.NONE);
  private static final MemberConfig IP1 = ROUTES.pools().get("p").members().get(0);
  private static final MemberConfig IP2 = ROUTES.pools().get("p").members().get(1);

  @Test
  void aDestinationsConnectionLimitAppliesPerSourceIp() {
    InFlight f = new InFlight(100, 100);
    f.add(IP1, "gmail");
    f.add(IP1, "gmail");
    assertThat(f.allows(IP1, "gmail", ROUTES, TRAFFIC)).isFalse();
    assertThat(f.allows(IP2, "gmail", ROUTES, TRAFFIC)).isTrue();
    f.remove(IP1, "gmail");
    assertThat(f.allows(IP1, "gmail", ROUTES, TRAFFIC)).isTrue();
  }

  @Test
  void aMembersConnectionLimitCountsEveryDestination() {
    InFlight f = new InFlight(100, 100);
    f.add(IP1, "gmail");
    f.add(IP1, "default");
    f.add(IP1, "default");
    assertThat(f.allows(IP1, "outlook", ROUTES, TRAFFIC)).isFalse();
    assertThat(f.allows(IP2, "outlook", ROUTES, TRAFFIC)).isTrue();
  }

  @Test
  void theTotalAndPerDestinationLimitsCountEveryMember() {
    InFlight f = new InFlight(3, 2);
    f.add(IP1, "default");
    f.add(IP2, "default");
    assertThat(f.allows(IP2, "default", ROUTES, TRAFFIC)).isFalse();
    assertThat(f.allows(IP2, "other", ROUTES, TRAFFIC)).isTrue();
    f.add(IP2, "other");
    assertThat(f.total()).isEqualTo(3);
    assertThat(f.allows(IP2, "third", ROUTES, TRAFFIC)).isFalse();
  }
}
