package dev.sluice.relay.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code cluster:} section of sluice.yaml: the Redis that several nodes share their quotas,
 * rate limits and shared states through. Absent, every node counts on its own, in process.
 *
 * @param redis the Redis URI, {@code redis://[:password@]host[:port][/db]} or {@code rediss://} for
 *     TLS; it may hold a password, so it is never printed
 * @param nodes how many nodes share the limits: while Redis is unreachable, each node keeps to 1/N
 *     of every cap and rate
 * @param keyPrefix the namespace of Sluice's keys in Redis
 * @param timeout how long one Redis command (or connection) may take before the node falls back
 * @param countCache how long a node may answer a counter from its cache; zero asks Redis every time
 */
public record ClusterConfig(
    String redis, int nodes, String keyPrefix, Duration timeout, Duration countCache) {
  public static final String DEFAULT_KEY_PREFIX = "sluice:";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_COUNT_CACHE = Duration.ofMillis(250);

  public ClusterConfig {
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(countCache, "countCache");
    if (nodes < 1 || timeout.isZero() || timeout.isNegative() || countCache.isNegative()) {
      throw new IllegalArgumentException(
          "need nodes >= 1, a positive timeout and a count cache of zero or more");
    }
  }

  /** The settings without the Redis URI, which may hold a password. */
  @Override
  public String toString() {
    return "ClusterConfig[redis=(hidden), nodes="
        + nodes
        + ", keyPrefix="
        + keyPrefix
        + ", timeout="
        + timeout
        + ", countCache="
        + countCache
        + "]";
  }
}
