package dev.sluice.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.relay.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice reload} against a running server: exit codes scripts can trust. */
class ReloadCommandTest {
  private static final String ROUTES =
      """
      pools: { main: { members: [ { name: direct } ] } }
      rules: [ { name: all, route: { pool: main } } ]
      """;

  @TempDir Path dir;
  private SluiceServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), ROUTES);
    Files.writeString(dir.resolve("admin.token"), "s3cret-token-for-the-test\n");
    Files.writeString(
        dir.resolve("sluice.yaml"),
        """
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0", token_file: admin.token }
        routes: routes.yaml
        """
            .formatted(Ports.free()));
    ServerConfig config = ServerConfigLoader.load(dir.resolve("sluice.yaml"));
    server =
        SluiceServer.start(
            config, LoadedRoutes.read(config.routes().get()), dir, Clock.systemUTC());
    url = "http://127.0.0.1:" + server.adminAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRunner reload(String... more) {
    String[] args = new String[more.length + 5];
    args[0] = "reload";
    args[1] = "--url";
    args[2] = url;
    args[3] = "--token-file";
    args[4] = dir.resolve("admin.token").toString();
    System.arraycopy(more, 0, args, 5, more.length);
    return CliRunner.run(args);
  }

  @Test
  void aValidFileIsReloadedAndExitsZero() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("main", "primary"));

    CliRunner r = reload();

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("reloaded ").contains("routes.yaml: 1 pools, 1 rules");
    assertThat(server.policy().current().configured().pools()).containsKey("primary");
  }

  @Test
  void anInvalidFileExitsOneWithItsErrorsAndTheDaemonKeepsItsPolicy() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("pool: main", "pool: nowhere"));

    CliRunner r = reload();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).containsPattern("routes\\.yaml:\\d+:\\d+: .*nowhere");
    assertThat(server.policy().current().configured().pools()).containsKey("main");
  }

  @Test
  void theAddressAndTokenComeFromTheDaemonsConfigAndJsonPrintsTheAnswer() throws Exception {
    // sluice.yaml says port 0: point a copy at the bound port, as an operator's file would.
    Path config = dir.resolve("cli.yaml");
    Files.writeString(
        config,
        Files.readString(dir.resolve("sluice.yaml"))
            .replace(
                "127.0.0.1:0\", token_file",
                "127.0.0.1:" + server.adminAddress().getPort() + "\", token_file"));

    CliRunner r = CliRunner.run("reload", "--config", config.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"reloaded\":true");
  }

  @Test
  void aWrongTokenOrNoDaemonExitsTwo() throws Exception {
    Path wrong = dir.resolve("wrong.token");
    Files.writeString(wrong, "not-the-token");
    CliRunner unauthorized =
        CliRunner.run("reload", "--url", url, "--token-file", wrong.toString());
    assertThat(unauthorized.exitCode()).isEqualTo(2);
    assertThat(unauthorized.err()).doesNotContain("s3cret");

    CliRunner nobody =
        CliRunner.run(
            "reload",
            "--url",
            "http://127.0.0.1:" + Ports.refusing(),
            "--token-file",
            dir.resolve("admin.token").toString());
    assertThat(nobody.exitCode()).isEqualTo(2);
    assertThat(nobody.err()).contains("cannot connect to the admin API");
  }
}
