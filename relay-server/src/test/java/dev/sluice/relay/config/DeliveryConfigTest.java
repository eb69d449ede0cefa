package dev.sluice.relay.config;

import static dev.sluice.relay.config.LimitsConfigTest.errors;
import static dev.sluice.relay.config.LimitsConfigTest.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {
  @Test
  void takesDurationsOfUpToAYear() throws ConfigException {
    DeliveryConfig d = load("delivery: { max_age: 365d, idle_timeout: 52w }\n").delivery();

    assertThat(d.scheduler().retry().maxAge()).isEqualTo(Duration.ofDays(365));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofDays(364));
  }

  @Test
  void refusesADurationLongerThanAYear() {
    // 20000w overflowed the connection cache's timer: the server did not start.
    assertThat(errors(() -> load("delivery: { idle_timeout: 20000w, retry: [5m, 400d] }\n")))
        .containsExactly(
            "sluice.yaml:2:27: idle_timeout of delivery: '20000w' is too long; a duration must be"
                + " at most 365d",
            "sluice.yaml:2:47: retry of delivery: '400d' is too long; a duration must be at most"
                + " 365d");
  }
}
