package dev.sluice.routing.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole {@code routes.yaml}, validated: every reference resolves, no fallback cycle, no
 * unreachable rule. Maps keep the order of the file.
 *
 * @param traffic the {@code traffic:} section, {@link TrafficSettings#DEFAULTS} where not written
 */
public record RoutesConfig(
    RoutingSettings settings,
    Map<String, DestinationConfig> destinations,
    Map<String, PoolConfig> pools,
    Map<String, TenantConfig> tenants,
    List<RuleConfig> rules,
    TrafficSettings traffic) {
  public RoutesConfig {
    Objects.requireNonNull(settings, "settings");
    destinations = Ordered.copyOf(destinations);
    pools = Ordered.copyOf(pools);
    tenants = Ordered.copyOf(tenants);
    rules = List.copyOf(rules);
    Objects.requireNonNull(traffic, "traffic");
  }

  public Optional<PoolConfig> pool(String name) {
    return Optional.ofNullable(pools.get(name));
  }

  public Optional<TenantConfig> tenant(String name) {
    return Optional.ofNullable(tenants.get(name));
  }

  /**
   * Every member once, by name, in file order: a member in several pools is one path, and the first
   * pool that lists it gives the copy returned (its weight may differ in the others).
   */
  public Map<String, MemberConfig> members() {
    Map<String, MemberConfig> byName = new LinkedHashMap<>();
    pools.values().forEach(p -> p.members().forEach(m -> byName.putIfAbsent(m.name(), m)));
    return byName;
  }
}
