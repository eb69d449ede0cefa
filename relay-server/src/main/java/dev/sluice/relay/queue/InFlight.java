package dev.sluice.relay.queue;

import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.traffic.TrafficControl;
import java.util.HashMap;
import java.util.Map;

/**
 * Attempts in flight, counted where the limits apply: in all, per destination, per member (its
 * source IP or relay account: {@code limits.connections}) and per (member, destination) (the
 * destination's {@code connections}, which routes.yaml gives per source IP). One attempt holds one
 * connection. Confined to the scheduler's thread.
 */
final class InFlight {
  private final int maxTotal;
  private final int maxPerDestination;
  private final Map<String, Integer> perMember = new HashMap<>();
  private final Map<String, Integer> perDestination = new HashMap<>();
  private final Map<Batch.QueueKey, Integer> perPath = new HashMap<>();
  private int total;

  InFlight(int maxTotal, int maxPerDestination) {
    this.maxTotal = maxTotal;
    this.maxPerDestination = maxPerDestination;
  }

  /**
   * Whether one more attempt of {@code member} toward {@code destination} fits every limit; the
   * (member, destination) limit as adaptive throttling has lowered it.
   */
  boolean allows(
      MemberConfig member, String destination, RoutesConfig routes, TrafficControl traffic) {
    if (total >= maxTotal || count(perDestination, destination) >= maxPerDestination) {
      return false;
    }
    if (member.limits().connections().isPresent()
        && count(perMember, member.name()) >= member.limits().connections().getAsInt()) {
      return false;
    }
    DestinationConfig d = routes.destinations().get(destination);
    int configured =
        d == null || d.connections().isEmpty() ? maxPerDestination : d.connections().getAsInt();
    return count(perPath, new Batch.QueueKey(member.name(), destination))
        < traffic.connections(member, destination, configured);
  }

  void add(MemberConfig member, String destination) {
    total++;
    perMember.merge(member.name(), 1, Integer::sum);
    perDestination.merge(destination, 1, Integer::sum);
    perPath.merge(new Batch.QueueKey(member.name(), destination), 1, Integer::sum);
  }

  void remove(MemberConfig member, String destination) {
    total--;
    perMember.computeIfPresent(member.name(), (k, n) -> n == 1 ? null : n - 1);
    perDestination.computeIfPresent(destination, (k, n) -> n == 1 ? null : n - 1);
    perPath.computeIfPresent(
        new Batch.QueueKey(member.name(), destination), (k, n) -> n == 1 ? null : n - 1);
  }

  int total() {
    return total;
  }

  private static <K> int count(Map<K, Integer> counts, K key) {
    return counts.getOrDefault(key, 0);
  }
}
