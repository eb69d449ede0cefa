package dev.sluice.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DnsConfigTest {
  private static final String LISTENERS =
      "listeners: [ { name: relay, address: \"127.0.0.1:2525\", mode: relay } ]\n";

  private static ServerConfig load(String yaml) throws ConfigException {
    return ServerConfigLoader.load("sluice.yaml", LISTENERS + yaml, Path.of("/etc/sluice"));
  }

  @Test
  void readsResolversAndTimeout() throws ConfigException {
    ServerConfig config = load("dns: { resolvers: [ \"127.0.0.1:5353\" ], timeout: 750ms }\n");

    assertThat(config.dnsResolvers()).containsExactly("127.0.0.1:5353");
    assertThat(config.dnsTimeout()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void aQueryTakesFiveSecondsAtMostUnlessTold() throws ConfigException {
    assertThat(load("dns: { resolvers: [ \"127.0.0.1:5353\" ] }\n").dnsTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(load("").dnsTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ServerConfigLoader.defaults(Path.of("var")).dnsTimeout())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void refusesATimeoutThatIsNoDuration() {
    assertThatThrownBy(() -> load("dns: { timeout: 0s }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sluice.yaml:2:17:")
        .hasMessageContaining("a duration must be positive");
  }
}
