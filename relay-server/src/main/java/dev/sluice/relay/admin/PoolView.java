package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A pool with its members' live state.
 *
 * @param fallback the pools tried after it, in order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PoolView(
    String name, List<String> fallback, Totals totals, List<MemberView> members) {
  public PoolView {
    fallback = List.copyOf(fallback);
    members = List.copyOf(members);
  }

  /** How many members it has, and how many of them can take traffic now. */
  public record Totals(int members, int active, int inactive) {}
}
