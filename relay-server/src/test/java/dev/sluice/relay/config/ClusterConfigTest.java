package dev.sluice.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static final String LISTENERS =
      "listeners: [ { name: relay, address: \"127.0.0.1:2525\", mode: relay } ]\n";

  private static ServerConfig load(String yaml) throws ConfigException {
    return ServerConfigLoader.load("sluice.yaml", LISTENERS + yaml, Path.of("/etc/sluice"));
  }

  @Test
  void withoutAClusterSectionLimitsStayInProcess() throws ConfigException {
    assertThat(load("").cluster()).isEmpty();
    assertThat(ServerConfigLoader.defaults(Path.of("var")).cluster()).isEmpty();
  }

  @Test
  void readsEveryKey() throws ConfigException {
    ServerConfig config =
        load(
            """
            cluster:
              redis: "redis://:secret@10.0.0.5:6380/2"
              nodes: 3
              key_prefix: "mta:"
              timeout: 200ms
              count_cache: 0
            """);

    assertThat(config.cluster())
        .contains(
            new ClusterConfig(
                "redis://:secret@10.0.0.5:6380/2",
                3,
                "mta:",
                Duration.ofMillis(200),
                Duration.ZERO));
    assertThat(config.cluster().get().toString()).doesNotContain("secret");
  }

  @Test
  void hasDefaultsForAllButRedisAndNodes() throws ConfigException {
    assertThat(load("cluster: { redis: \"redis://127.0.0.1:6379/0\", nodes: 2 }\n").cluster())
        .isEqualTo(
            Optional.of(
                new ClusterConfig(
                    "redis://127.0.0.1:6379/0",
                    2,
                    "sluice:",
                    Duration.ofMillis(500),
                    Duration.ofMillis(250))));
  }

  @Test
  void errorsArePreciseAndNeverEchoTheUri() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    cluster:
                      redis: "mysql://:secret@db"
                      nodes: 0
                      timeout: soon
                      count_cach: 1s
                    """))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).errors())
                    .extracting(ConfigError::toString)
                    .containsExactly(
                        "sluice.yaml:3:10: redis of cluster is not a Redis URI: expected"
                            + " redis://[:PASSWORD@]HOST[:PORT][/DB] (e.g. \"redis://127.0.0.1:6379/0\"),"
                            + " or rediss:// for TLS",
                        "sluice.yaml:4:10: nodes of cluster must be between 1 and 1000, not 0",
                        "sluice.yaml:5:12: timeout of cluster: 'soon' is not a duration (expected"
                            + " e.g. 30s, 5m, 4h, 1h30m or 5d)",
                        "sluice.yaml:6:3: unknown key 'count_cach' in cluster (did you mean"
                            + " 'count_cache'?)"));
  }

  @Test
  void needsRedisAndNodes() {
    assertThatThrownBy(() -> load("cluster: { redis: \"redis://127.0.0.1\" }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "sluice.yaml:2:10: cluster needs 'redis' (e.g. \"redis://127.0.0.1:6379/0\") and 'nodes'");
  }
}
