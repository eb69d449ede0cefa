package dev.sluice.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.units.Rate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LimitsConfigTest {
  /** sluice.yaml with one relay listener and {@code yaml}. */
  static ServerConfig load(String yaml) throws ConfigException {
    return ServerConfigLoader.load(
        "sluice.yaml",
        "listeners: [ { name: relay, address: \"127.0.0.1:2525\", mode: relay } ]\n" + yaml,
        Path.of("/etc/sluice"));
  }

  @Test
  void readsTheConnectionRatePerAddressOrOff() throws ConfigException {
    assertThat(load("limits: { max_connection_rate_per_ip: 60/min }\n").limits())
        .extracting(ServerConfig.IngressLimits::connectionRatePerIp)
        .isEqualTo(Optional.of(new Rate(60, Duration.ofMinutes(1))));
    assertThat(load("limits: { max_connection_rate_per_ip: off }\n").limits().connectionRatePerIp())
        .isEmpty();
    assertThat(load("").limits().connectionRatePerIp()).as("no limit unless told").isEmpty();
  }

  @Test
  void refusesARateThatIsNoRate() {
    assertThatThrownBy(() -> load("limits: { max_connection_rate_per_ip: fast }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sluice.yaml:2:39:")
        .hasMessageContaining("max_connection_rate_per_ip of limits: 'fast' is not a rate");
  }

  @Test
  void refusesATimeoutLongerThanAYear() {
    // 20000w overflowed the session's timer: every session was closed after EHLO.
    assertThat(errors(() -> load("limits: { command_timeout: 20000w }\n")))
        .containsExactly(
            "sluice.yaml:2:28: command_timeout: '20000w' is too long; a duration must be at most"
                + " 365d");
  }

  @Test
  void refusesAMessageSizeTooSmallToMeanOne() throws ConfigException {
    // SIZE 0 in EHLO means no limit at all, while every message would be refused.
    assertThat(errors(() -> load("limits: { max_message_size: 0 }\n")))
        .containsExactly(
            "sluice.yaml:2:29: max_message_size of limits: '0' is too small; at least 1KB");
    assertThat(load("limits: { max_message_size: 1KB }\n").limits().maxMessageSize())
        .isEqualTo(1024);
  }

  static List<String> errors(ThrowingCallable load) {
    ConfigException e = catchThrowableOfType(ConfigException.class, load);
    assertThat(e).as("the file should be rejected").isNotNull();
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void ioThreadsAreTwoPerCpuUnlessTold() throws ConfigException {
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    assertThat(load("").ioThreads()).isEqualTo(loops);
    assertThat(ServerConfigLoader.defaults(Path.of("var")).ioThreads()).isEqualTo(loops);
    assertThat(load("io_threads: 3\n").ioThreads()).isEqualTo(3);
  }

  @Test
  void refusesIoThreadsOutsideTheirRange() {
    assertThatThrownBy(() -> load("io_threads: 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sluice.yaml:2:13:")
        .hasMessageContaining("io_threads");
    assertThatThrownBy(() -> load("io_threads: many\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sluice.yaml:2:13:");
  }
}
