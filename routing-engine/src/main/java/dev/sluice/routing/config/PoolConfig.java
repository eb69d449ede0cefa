package dev.sluice.routing.config;

import java.util.List;
import java.util.Objects;

/**
 * A named group of members for one kind of traffic.
 *
 * @param fallback pools tried, in order, when no member of this one is eligible
 * @param stickiness whether a recipient (or its domain) keeps going through the same member
 */
public record PoolConfig(
    String name, List<MemberConfig> members, List<String> fallback, Stickiness stickiness) {
  public PoolConfig {
    Objects.requireNonNull(name, "name");
    members = List.copyOf(members);
    fallback = List.copyOf(fallback);
    stickiness = stickiness == null ? Stickiness.NONE : stickiness;
  }
}
