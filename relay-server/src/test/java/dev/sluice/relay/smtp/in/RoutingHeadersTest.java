package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.RoutingSettings;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RoutingHeadersTest {
  private static final String MESSAGE =
      "Subject: reset\r\n"
          + "x-route: transactional\r\n"
          + "X-Message-Type: Transactional,\r\n  password-reset\r\n"
          + "X-Priority: 1 (Highest)\r\n"
          + "To: bob@example.net\r\n"
          + "\r\n"
          + "X-Route: in the body stays\r\n";

  @Test
  void readsTheRoutingHeadersAndStripsRouteAndTypeButNotPriority() {
    RoutingHeaders h =
        RoutingHeaders.read(MESSAGE.getBytes(StandardCharsets.UTF_8), RoutingSettings.DEFAULTS);
    assertThat(h.values())
        .containsEntry("X-Route", "transactional")
        .containsEntry("X-Message-Type", "Transactional, password-reset")
        .containsEntry("X-Priority", "1 (Highest)");
    assertThat(new String(h.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "Subject: reset\r\nX-Priority: 1 (Highest)\r\nTo: bob@example.net\r\n\r\nX-Route: in the body stays\r\n");
  }

  @Test
  void keepsEverythingWhenConfiguredTo() {
    RoutingSettings keep =
        new RoutingSettings("X-Pool", "X-Kind", "bulk", "X-Urgency", 5, ZoneId.of("UTC"), false);
    String message = "X-Pool: eu\r\nX-Kind: bulk\r\n\r\nbody\r\n";
    RoutingHeaders h = RoutingHeaders.read(message.getBytes(StandardCharsets.UTF_8), keep);
    assertThat(h.values()).containsEntry("X-Pool", "eu").containsEntry("X-Kind", "bulk");
    assertThat(new String(h.body(), StandardCharsets.UTF_8)).isEqualTo(message);
  }

  @Test
  void aMessageWithoutHeadersIsUntouched() {
    String message = "\r\njust a body\r\n";
    RoutingHeaders h =
        RoutingHeaders.read(message.getBytes(StandardCharsets.UTF_8), RoutingSettings.DEFAULTS);
    assertThat(h.values()).isEmpty();
    assertThat(new String(h.body(), StandardCharsets.UTF_8)).isEqualTo(message);
  }
}
