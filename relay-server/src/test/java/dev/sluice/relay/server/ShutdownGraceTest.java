package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.LocalDnsServer;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real {@code sluice run} does with the attempts still in flight when SIGTERM comes: they
 * get {@code delivery.shutdown_grace} to finish, with everything they need still working.
 */
class ShutdownGraceTest {
  @TempDir Path dir;
  private final LocalDnsServer dns = LocalDnsServer.start();
  private final ScriptedSmtpServer relay = ScriptedSmtpServer.start("127.0.0.41");
  private int port;

  ShutdownGraceTest() throws IOException {}

  @AfterEach
  void close() {
    relay.close();
    dns.close();
  }

  /**
   * dnsjava closes its network client in a JVM shutdown hook of its own unless told not to; that
   * hook ran beside Sluice's and failed the lookups of attempts finishing in the grace.
   */
  @Test
  void aDnsLookupUnderWayAtTheStopIsAnsweredInTheGrace() throws Exception {
    dns.a("relay.test", "127.0.0.41").hold("relay.test");
    SluiceProcess sluice = start("relay.test", "10s");
    try {
      submit();
      assertThat(dns.awaitQueries("relay.test", 1, Duration.ofSeconds(20))).isTrue();

      sluice.terminate();
      Await.until("the listener is closed", this::refused);
      dns.release();
    } finally {
      sluice.stop();
    }
    assertThat(relay.messages())
        .as("delivered in the grace; sluice printed:\n%s", sluice.tail())
        .hasSize(1);
  }

  /**
   * java.util.logging resets itself in a JVM shutdown hook of its own, beside Sluice's: the warning
   * about attempts left after the grace, logged at the end of the stop, was lost with its handler.
   */
  @Test
  void anAttemptStillUnderWayAfterTheGraceIsLogged() throws Exception {
    relay.stallAfterData(Duration.ofMinutes(1));
    SluiceProcess sluice = start("127.0.0.41", "1s");
    try {
      submit();
      Await.until("the relay has the message text", () -> !relay.commandLines("DATA").isEmpty());
    } finally {
      sluice.stop();
    }
    assertThat(sluice.tail()).contains("attempts still in flight after the shutdown grace");
  }

  private SluiceProcess start(String relayHost, String grace) throws Exception {
    port = Ports.free();
    Files.writeString(
        dir.resolve("routes.yaml"),
        """
        pools: { main: { members: [ { name: m, relay: { host: %s, port: %d, tls: none } } ] } }
        rules: [ { name: all, route: { pool: main } } ]
        """
            .formatted(relayHost, relay.address().getPort()));
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(
        config,
        """
        hostname: relay.sluice.test
        listeners: [ { name: relay, address: "127.0.0.1:%d", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "%s" ], timeout: 30s }
        admin: { address: "127.0.0.1:0" }
        routes: routes.yaml
        delivery: { shutdown_grace: %s }
        """
            .formatted(port, dns.address(), grace));
    return SluiceProcess.start(config, dir);
  }

  private void submit() throws IOException {
    try (RawSmtpClient c = new RawSmtpClient(port)) {
      c.readLine();
      c.send(
          "HELO app.test\r\nMAIL FROM:<app@sender.test>\r\nRCPT TO:<user@example.net>\r\nDATA\r\n");
      for (int i = 0; i < 4; i++) {
        c.readLine();
      }
      c.send("Subject: in flight\r\n\r\nHello.\r\n.\r\n");
      assertThat(c.readLine()).startsWith("250 ");
    }
  }

  private boolean refused() {
    try {
      new Socket("127.0.0.1", port).close();
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
