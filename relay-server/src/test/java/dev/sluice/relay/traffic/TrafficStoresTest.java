package dev.sluice.relay.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.config.ClusterConfig;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.traffic.TrafficStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrafficStoresTest {
  private static final Instant T0 = Instant.parse("2099-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);

  @Test
  void withoutAClusterLimitsAreInProcess() {
    try (TrafficStore store = TrafficStores.open(Optional.empty(), clock)) {
      assertThat(store).isInstanceOf(LocalTrafficStore.class);
    }
  }

  @Test
  void aNodeWhoseRedisIsDownAtStartKeepsToItsShare() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    ClusterConfig cluster =
        new ClusterConfig(
            "redis://127.0.0.1:" + closedPort + "/0",
            4,
            ClusterConfig.DEFAULT_KEY_PREFIX,
            ClusterConfig.DEFAULT_TIMEOUT,
            ClusterConfig.DEFAULT_COUNT_CACHE);

    try (TrafficStore store = TrafficStores.open(Optional.of(cluster), clock)) {
      Charge.Quota one = new Charge.Quota("quota:day:ip-10", 1, 10, T0.plus(Duration.ofDays(1)));
      assertThat(store).isInstanceOf(FallbackTrafficStore.class);
      assertThat(store.admit(List.of(one), T0).isAdmitted()).isTrue();
      assertThat(store.admit(List.of(one), T0).isAdmitted()).isTrue();
      assertThat(store.admit(List.of(one), T0).isAdmitted()).as("10 / 4, rounded down").isFalse();
    }
  }
}
