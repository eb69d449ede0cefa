package dev.sluice.routing.config;

import java.util.List;
import java.util.OptionalLong;

/** How a new source IP's daily allowance grows, per destination provider. */
public sealed interface WarmupConfig {
  /**
   * Start at {@code start} messages a day and grow by {@code growth} (a fraction: 0.15 = 15%) each
   * day, up to {@code max} if set.
   */
  record Curve(long start, double growth, OptionalLong max) implements WarmupConfig {
    public Curve {
      if (start < 1 || growth <= 0) {
        throw new IllegalArgumentException("warmup start and growth must be positive");
      }
    }
  }

  /** Explicit daily caps, day 1 first; after the last day the member is warm. */
  record Table(List<Long> dailyCaps) implements WarmupConfig {
    public Table {
      dailyCaps = List.copyOf(dailyCaps);
      if (dailyCaps.isEmpty()) {
        throw new IllegalArgumentException("a warmup table needs at least one day");
      }
    }
  }
}
