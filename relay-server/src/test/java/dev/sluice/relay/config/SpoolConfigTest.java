package dev.sluice.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpoolConfigTest {
  private static final String LISTENERS =
      "listeners: [ { name: relay, address: \"127.0.0.1:2525\", mode: relay } ]\n";

  private static ServerConfig load(String yaml) throws ConfigException {
    return ServerConfigLoader.load("sluice.yaml", LISTENERS + yaml, Path.of("/etc/sluice"));
  }

  @Test
  void readsDirectoryFreeSpaceAndSegmentSize() throws ConfigException {
    ServerConfig config = load("spool: { dir: q, min_free: 2GB, segment_size: 256KB }\n");

    assertThat(config.spoolDir()).isEqualTo(Path.of("/etc/sluice/q"));
    assertThat(config.spoolMinFreeBytes()).isEqualTo(2L << 30);
    assertThat(config.spoolSegmentBytes()).isEqualTo(256L << 10);
  }

  @Test
  void segmentsAre64MegabytesUnlessTold() throws ConfigException {
    assertThat(load("spool: { dir: q }\n").spoolSegmentBytes()).isEqualTo(64L << 20);
    assertThat(ServerConfigLoader.defaults(Path.of("var")).spoolSegmentBytes())
        .isEqualTo(64L << 20);
  }

  @Test
  void refusesASegmentSizeOutsideItsRange() {
    assertThatThrownBy(() -> load("spool: { segment_size: 4KB }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sluice.yaml:2:24:")
        .hasMessageContaining("segment_size of spool: must be between 64KB and 1GB, not 4KB");
    assertThatThrownBy(() -> load("spool: { segment_size: 2GB }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be between 64KB and 1GB, not 2GB");
  }
}
