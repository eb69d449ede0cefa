package dev.sluice.relay.config;

import dev.sluice.routing.config.YamlReader;
import dev.sluice.routing.units.Durations;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads the {@code cluster:} section of sluice.yaml; errors go to the shared reader. */
final class ClusterReader {
  static final List<String> KEYS =
      List.of("redis", "nodes", "key_prefix", "timeout", "count_cache");

  private final YamlReader yaml;

  ClusterReader(YamlReader yaml) {
    this.yaml = yaml;
  }

  Optional<ClusterConfig> read(Node node) {
    Optional<YamlReader.Fields> fields = yaml.fields(node, "cluster", KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (!f.has("redis") || !f.has("nodes")) {
      yaml.error(
          node,
          "cluster needs 'redis' (e.g. \"redis://127.0.0.1:6379/0\") and 'nodes' (how many nodes"
              + " share the limits)");
      return Optional.empty();
    }
    Optional<String> redis = f.get("redis").flatMap(this::redisUri);
    OptionalInt nodes = yaml.integer(f.get("nodes").get(), "nodes of cluster", 1, 1_000);
    Optional<String> prefix =
        f.get("key_prefix").isEmpty()
            ? Optional.of(ClusterConfig.DEFAULT_KEY_PREFIX)
            : f.get("key_prefix").flatMap(n -> yaml.string(n, "key_prefix of cluster"));
    Optional<Duration> timeout =
        f.get("timeout").isEmpty()
            ? Optional.of(ClusterConfig.DEFAULT_TIMEOUT)
            : f.get("timeout").flatMap(n -> yaml.parsed(n, "timeout of cluster", Durations::parse));
    Optional<Duration> countCache =
        f.get("count_cache").isEmpty()
            ? Optional.of(ClusterConfig.DEFAULT_COUNT_CACHE)
            : f.get("count_cache").flatMap(this::zeroOrDuration);
    if (redis.isEmpty()
        || nodes.isEmpty()
        || prefix.isEmpty()
        || timeout.isEmpty()
        || countCache.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ClusterConfig(
            redis.get(), nodes.getAsInt(), prefix.get(), timeout.get(), countCache.get()));
  }

  /** A Redis URI as Lettuce reads it; the text is never echoed, since it may hold a password. */
  private Optional<String> redisUri(Node node) {
    Optional<String> text = yaml.string(node, "redis of cluster");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      RedisURI uri = RedisURI.create(text.get());
      if (uri.getHost() != null && !uri.getHost().isEmpty()) {
        return text;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    yaml.error(
        node,
        "redis of cluster is not a Redis URI: expected redis://[:PASSWORD@]HOST[:PORT][/DB]"
            + " (e.g. \"redis://127.0.0.1:6379/0\"), or rediss:// for TLS");
    return Optional.empty();
  }

  /** {@code 0} (no cache) or a duration such as {@code 250ms}. */
  private Optional<Duration> zeroOrDuration(Node node) {
    if (node instanceof ScalarNode s && s.getValue().strip().equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    return yaml.parsed(node, "count_cache of cluster", Durations::parse);
  }
}
