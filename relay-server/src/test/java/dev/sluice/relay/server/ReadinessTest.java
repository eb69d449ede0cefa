package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.admin.AdminClient;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.routing.testing.Policies;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
}
