package dev.sluice.relay.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {
  @Test
  void aWebhookIsNamedByPositionAndHostWhateverItsUrlHolds() {
    assertThat(WebhookSink.nameOf(1, URI.create("https://hooks.slack.com/services/T0/B0/secret")))
        .isEqualTo("1:hooks.slack.com");
    assertThat(WebhookSink.nameOf(2, URI.create("http://127.0.0.1:8080/events?token=secret")))
        .isEqualTo("2:127.0.0.1:8080");
    // A host name URI will not parse (an underscore) keeps its text, never the user information.
    assertThat(WebhookSink.nameOf(3, URI.create("https://user:pw@hooks_internal.example/x")))
        .isEqualTo("3:hooks_internal.example");
  }
}
