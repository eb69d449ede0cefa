package dev.sluice.relay.traffic;

import dev.sluice.relay.config.ClusterConfig;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.traffic.TrafficStore;
import java.time.Clock;
import java.util.Optional;

/** Builds the traffic store sluice.yaml asks for. */
public final class TrafficStores {
  private TrafficStores() {}

  /**
   * The in-process store without a {@code cluster:} section; with one, Redis with this node's share
   * of the limits in process as the fallback. Redis is connected to on first use, so a node starts
   * even while Redis is down.
   */
  public static TrafficStore open(Optional<ClusterConfig> cluster, Clock clock) {
    if (cluster.isEmpty()) {
      return new LocalTrafficStore();
    }
    ClusterConfig c = cluster.get();
    return new FallbackTrafficStore(
        new RedisTrafficStore(c), new LocalTrafficStore(), c.nodes(), clock);
  }
}
