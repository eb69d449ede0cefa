package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.relay.spool.SegmentSpool;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolOptions;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails ends the process: it must not have begun delivering what the spool recovered,
 * only for the stop to cut those attempts short (and a restart to repeat them).
 */
class FailedStartTest {
  @TempDir Path dir;

  /**
   * The start is held where it reads its admin token (a FIFO), after the listeners are bound; a
   * message submitted then is delivered, and the scheduler, which takes its work in order, has by
   * then started on anything recovered before it. The token then turns out too short.
   */
  @Test
  void aStartThatFailsHasNotStartedDeliveringTheRecoveredMessages() throws Exception {
    try (ScriptedSmtpServer relay = ScriptedSmtpServer.start("127.0.0.44")) {
      queue("recovered");
      Files.writeString(dir.resolve("routes.yaml"), PolicySluice.pool("m", 1, relay));
      int port = Ports.free();
      String yaml =
          PolicySluice.sluiceYaml()
              .replace("127.0.0.1:0\", mode", "127.0.0.1:" + port + "\", mode");
      assertThat(yaml).contains(":" + port);
      ServerConfig config = ServerConfigLoader.load(SluiceProcess.configHeldAtStart(dir, yaml));
      CompletableFuture<SluiceServer> started =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return SluiceServer.start(
                      config, LoadedRoutes.read(config.routes().get()), dir, Clock.systemUTC());
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });

      Await.until("the listener is up", () -> accepts(port));
      try (RawSmtpClient c = new RawSmtpClient(port)) {
        c.readLine();
        c.send("HELO app.test\r\nMAIL FROM:<app@sender.test>\r\nRCPT TO:<user@example.net>\r\n");
        c.send("DATA\r\n");
        for (int i = 0; i < 4; i++) {
          c.readLine();
        }
        c.send("Subject: submitted\r\n\r\nHello.\r\n.\r\n");
        assertThat(c.readLine()).startsWith("250 ");
      }
      relay.awaitMessages(1, Duration.ofSeconds(20));
      Files.writeString(dir.resolve("admin.token"), "short\n");

      assertThatThrownBy(() -> started.get(30, TimeUnit.SECONDS))
          .hasMessageContaining("admin.token");
      assertThat(relay.messages())
          .extracting(ScriptedSmtpServer.ReceivedMessage::text)
          .as("what the relay got")
          .noneMatch(text -> text.contains("Subject: recovered"))
          .anyMatch(text -> text.contains("Subject: submitted"));
    }
  }

  private static boolean accepts(int port) {
    try {
      new Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A message as the spool recovers it at start: never attempted, due now. */
  private void queue(String subject) throws Exception {
    byte[] body =
        ("Subject: " + subject + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
    SpoolEnvelope envelope =
        new SpoolEnvelope(
            "app@sender.test",
            List.of(SpoolRecipient.of("user@example.net")),
            null,
            "127.0.0.1",
            "app.test",
            null,
            null,
            null,
            null,
            Instant.now(),
            body.length,
            Map.of());
    SegmentSpool spool =
        SegmentSpool.open(
            dir.resolve("spool"),
            SpoolOptions.defaults().withMinFreeBytes(1L << 20),
            Clock.systemUTC());
    try {
      spool.store(envelope, ByteBuffer.wrap(body)).get();
    } finally {
      spool.close();
    }
  }
}
