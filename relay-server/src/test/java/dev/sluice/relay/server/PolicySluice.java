package dev.sluice.relay.server;

import dev.sluice.relay.admin.AdminClient;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Sluice started from a {@code sluice.yaml} and a {@code routes.yaml} on disk, as an operator runs
 * it, for the tests of reloads and overrides: relay members are {@link ScriptedSmtpServer}s on
 * loopback, the admin API on a free port, DNS nowhere.
 */
final class PolicySluice implements AutoCloseable {
  final Path dir;
  final SluiceServer server;
  final AdminClient admin;

  private PolicySluice(Path dir, SluiceServer server) throws IOException {
    this.dir = dir;
    this.server = server;
    this.admin =
        new AdminClient(
            server.adminAddress(),
            Files.readString(dir.resolve("admin.token"), StandardCharsets.UTF_8).strip());
  }

  /** Writes {@code routes} (unless it is null: keep the file there) and starts Sluice on it. */
  static PolicySluice start(Path dir, String routes) throws Exception {
    if (routes != null) {
      Files.writeString(dir.resolve("routes.yaml"), routes);
    }
    Files.writeString(dir.resolve("sluice.yaml"), sluiceYaml());
    ServerConfig config = ServerConfigLoader.load(dir.resolve("sluice.yaml"));
    return new PolicySluice(
        dir,
        SluiceServer.start(
            config, LoadedRoutes.read(config.routes().get()), dir, Clock.systemUTC()));
  }

  /** A sluice.yaml for {@code routes.yaml} beside it. */
  static String sluiceYaml() throws IOException {
    return """
        hostname: relay.sluice.test
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0" }
        routes: routes.yaml
        delivery: { retry: [ 300ms ], shutdown_grace: 5s }
        """
        .formatted(Ports.free());
  }

  /** One pool {@code main} of relay members named as given, each with its weight. */
  static String pool(Object... nameWeightRelay) {
    StringBuilder s = new StringBuilder("pools:\n  main:\n    members:\n");
    for (int i = 0; i < nameWeightRelay.length; i += 3) {
      ScriptedSmtpServer relay = (ScriptedSmtpServer) nameWeightRelay[i + 2];
      s.append("      - { name: ")
          .append(nameWeightRelay[i])
          .append(", weight: ")
          .append(nameWeightRelay[i + 1])
          .append(", relay: { host: ")
          .append(relay.address().getAddress().getHostAddress())
          .append(", port: ")
          .append(relay.address().getPort())
          .append(", tls: none } }\n");
    }
    return s
        + "rules: [ { name: all, route: { pool: main } } ]\n"
        + "traffic: { recipient_rate: off }\n";
  }

  /** Replaces routes.yaml as editors do: a new file renamed over the old one. */
  void writeRoutes(String routes) throws IOException {
    Path tmp = dir.resolve(".routes.yaml.swp");
    Files.writeString(tmp, routes);
    Files.move(
        tmp,
        dir.resolve("routes.yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Submits one message through the relay listener; returns the reply to the end of DATA. */
  String submit(String subject, String to) throws IOException {
    try (RawSmtpClient c = new RawSmtpClient(server.addresses().get(0).getPort())) {
      c.readLine();
      c.send("EHLO app.test\r\n");
      while (!c.readLine().startsWith("250 ")) {
        // rest of the EHLO reply
      }
      c.send("MAIL FROM:<app@sender.test>\r\nRCPT TO:<" + to + ">\r\nDATA\r\n");
      List<String> replies = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replies.add(c.readLine());
      }
      if (!replies.get(2).startsWith("354")) {
        return String.join(" | ", replies);
      }
      c.send("Subject: " + subject + "\r\n\r\nHello.\r\n.\r\nQUIT\r\n");
      return c.readLine();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
