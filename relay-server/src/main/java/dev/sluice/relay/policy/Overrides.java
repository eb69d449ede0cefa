package dev.sluice.relay.policy;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.PoolConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.traffic.Suspension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every member override in force, by member name: an immutable value, changed by building the next
 * one. Applied on top of every routes.yaml loaded; an override naming a member the file no longer
 * has is kept (the member may come back) and reported as unknown.
 */
public final class Overrides {
  public static final Overrides NONE = new Overrides(Map.of());

  private final Map<String, MemberOverride> byMember;

  private Overrides(Map<String, MemberOverride> byMember) {
    this.byMember = java.util.Collections.unmodifiableMap(new TreeMap<>(byMember));
  }

  public static Overrides of(Collection<MemberOverride> overrides) {
    Map<String, MemberOverride> map = new LinkedHashMap<>();
    overrides.forEach(o -> map.put(o.member(), o));
    return new Overrides(map);
  }

  /** Every override, by member name. */
  public List<MemberOverride> all() {
    return List.copyOf(byMember.values());
  }

  public Optional<MemberOverride> of(String member) {
    return Optional.ofNullable(byMember.get(member));
  }

  /** These overrides with {@code member}'s weight set ({@code empty}: the configured one again). */
  public Overrides withWeight(String member, OptionalInt weight, Instant now) {
    return with(current(member, now).withWeight(weight, now));
  }

  public Overrides suspend(String member, String reason, Instant now) {
    return with(current(member, now).suspend(reason, now));
  }

  public Overrides resume(String member, Instant now) {
    return with(current(member, now).resume(now));
  }

  /** {@code routes} with every overridden weight in place, in every pool that has the member. */
  public RoutesConfig applyTo(RoutesConfig routes) {
    if (byMember.values().stream().allMatch(o -> o.weight().isEmpty())) {
      return routes;
    }
    Map<String, PoolConfig> pools = new LinkedHashMap<>();
    for (PoolConfig pool : routes.pools().values()) {
      List<MemberConfig> members = new ArrayList<>();
      for (MemberConfig m : pool.members()) {
        OptionalInt w = of(m.name()).map(MemberOverride::weight).orElse(OptionalInt.empty());
        members.add(w.isPresent() ? m.withWeight(w.getAsInt()) : m);
      }
      pools.put(
          pool.name(), new PoolConfig(pool.name(), members, pool.fallback(), pool.stickiness()));
    }
    return new RoutesConfig(
        routes.settings(),
        routes.destinations(),
        pools,
        routes.tenants(),
        routes.rules(),
        routes.traffic());
  }

  /** The operator suspensions to hold in traffic control, for members {@code routes} has. */
  public List<Suspension> holds(RoutesConfig routes) {
    Set<String> known = memberNames(routes);
    List<Suspension> holds = new ArrayList<>();
    for (MemberOverride o : byMember.values()) {
      if (o.suspended() && known.contains(o.member())) {
        holds.add(Suspension.byOperator(o.member(), o.reason(), o.suspendedSince().get()));
      }
    }
    return holds;
  }

  /** Members overridden that {@code routes} does not have. */
  public List<String> unknownIn(RoutesConfig routes) {
    Set<String> known = memberNames(routes);
    return byMember.keySet().stream().filter(m -> !known.contains(m)).toList();
  }

  /** Every member name of {@code routes}. */
  public static Set<String> memberNames(RoutesConfig routes) {
    return routes.members().keySet();
  }

  private MemberOverride current(String member, Instant now) {
    return of(member).orElseGet(() -> MemberOverride.none(member, now));
  }

  private Overrides with(MemberOverride o) {
    Map<String, MemberOverride> next = new LinkedHashMap<>(byMember);
    if (o.isEmpty()) {
      next.remove(o.member());
    } else {
      next.put(o.member(), o);
    }
    return new Overrides(next);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Overrides o && o.byMember.equals(byMember);
  }

  @Override
  public int hashCode() {
    return byMember.hashCode();
  }
}
