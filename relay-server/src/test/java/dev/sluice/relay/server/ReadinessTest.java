package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.admin.AdminClient;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.routing.testing.Policies;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /healthz and /readyz of a whole running server, as a load balancer or systemd sees them. */
class ReadinessTest {
  @Test
  void aServerWithAHealthySpoolIsLiveAndReady(@TempDir Path dir) throws Exception {
    try (RunningSluice sluice = RunningSluice.start(dir, "")) {
      AdminClient anonymous = new AdminClient(sluice.server.adminAddress(), null);
      assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = anonymous.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
    }
  }

  @Test
  void aSpoolBelowItsFreeSpaceThresholdMakesTheServerNotReady(@TempDir Path dir) throws Exception {
    ServerConfig config =
        ServerConfigLoader.load(
            "sluice.yaml",
            """
            listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
            spool: { dir: spool, min_free: 1000000000GB }
            dns: { resolvers: [ "127.0.0.1:9" ] }
            admin: { address: "127.0.0.1:0" }
            """,
            dir);
    try (SluiceServer server =
        SluiceServer.start(
            config,
            Policies.parse(
                "pools: { default: { members: [ { name: direct } ] } }\n"
                    + "rules: [ { name: default, route: { pool: default } } ]\n"),
            dir,
            Clock.systemUTC())) {
      AdminClient anonymous = new AdminClient(server.adminAddress(), null);
      assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = anonymous.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("below its free-space threshold");
      // No token configured: one was generated beside the spool, for the CLI to find.
      assertThat(Files.readString(dir.resolve("admin.token")).strip()).hasSize(48);
    }
  }

  /**
   * A load balancer takes a stopping node out when /readyz turns 503: it must, for as long as the
   * stop lasts (here an attempt holds it for the shutdown grace), not only until the admin server
   * closes with the first step of the stop.
   */
  @Test
  void aStoppingServerIsNotReadyWhileItsAttemptsFinish(@TempDir Path dir) throws Exception {
    ScriptedSmtpServer relay =
        ScriptedSmtpServer.start("127.0.0.43").stallAfterData(Duration.ofMinutes(1));
    PolicySluice sluice = PolicySluice.start(dir, PolicySluice.pool("m", 1, relay));
    CompletableFuture<Void> stopped;
    try {
      assertThat(sluice.submit("held", "user@example.net")).startsWith("250 ");
      Await.until("the relay has the message text", () -> !relay.commandLines("DATA").isEmpty());
      InetSocketAddress admin = sluice.server.adminAddress();
      InetSocketAddress smtp = sluice.server.addresses().get(0);

      stopped = CompletableFuture.runAsync(sluice::close);

      Await.until("the SMTP listener is closed", () -> refuses(smtp));
      Await.until(
          "/readyz says 503 shutting down, within the 5 s grace",
          Duration.ofSeconds(4),
          () -> readyzOnANewConnection(admin).matches("(?s)HTTP/1.1 503 .*shutting down.*"));
    } finally {
      relay.close();
    }
    stopped.get(30, TimeUnit.SECONDS);
  }

  /** What a load balancer's check sees: a new connection each time; empty when refused. */
  private static String readyzOnANewConnection(InetSocketAddress admin) {
    try (Socket s = new Socket(admin.getAddress(), admin.getPort())) {
      s.setSoTimeout(2_000);
      s.getOutputStream()
          .write(
              "GET /readyz HTTP/1.1\r\nHost: sluice\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean refuses(InetSocketAddress address) {
    try {
      new Socket(address.getAddress(), address.getPort()).close();
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
