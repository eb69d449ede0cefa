package dev.sluice.relay.server;

import dev.sluice.relay.auth.PasswordHashes;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.testing.Ports;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.testing.Policies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole Sluice started on free loopback ports for a test: relay (trusting 127.0.0.1 only),
 * submission (STARTTLS) and submissions (implicit TLS), a spool in a temporary directory, and one
 * tenant {@code acme} whose user {@code acme-app} has the password {@link #PASSWORD}. Accepted mail
 * stays in the spool for the test to read: its one relay points at a loopback port nothing listens
 * on, so every attempt is refused and deferred, and DNS goes nowhere but loopback.
 */
public final class RunningSluice implements AutoCloseable {
  public static final String USER = "acme-app";
  public static final String PASSWORD = "correct horse battery staple";
  private static final String HASH = PasswordHashes.bcrypt(PASSWORD.toCharArray());

  final SluiceServer server;
  final Path dataDir;

  private RunningSluice(SluiceServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  public static RunningSluice start(Path dataDir, String limitsYaml) throws Exception {
    String yaml =
        """
        hostname: mx.sluice.test
        listeners:
          - { name: relay, address: "127.0.0.1:0", mode: relay }
          - { name: submission, address: "127.0.0.1:0", mode: submission }
          - { name: submissions, address: "127.0.0.1:0", mode: submissions }
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:DEAD" ] }
        admin: { address: "127.0.0.1:0" }
        """
                .replace("DEAD", Integer.toString(Ports.free()))
            + limitsYaml;
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dataDir);
    RoutesConfig routes =
        Policies.parse(
            """
            pools:
              default:
                members: [ { name: nowhere, relay: { host: 127.0.0.1, port: DEAD, tls: none } } ]
            tenants:
              acme:
                sender_domains: [acme.example]
                restrict_senders: true
                users: [ { username: acme-app, password_hash: "HASH" } ]
            rules: [ { name: default, route: { pool: default } } ]
            """
                .replace("HASH", HASH)
                .replace("DEAD", Integer.toString(Ports.refusing())));
    return new RunningSluice(
        SluiceServer.start(config, routes, dataDir, Clock.systemUTC()), dataDir);
  }

  public int relayPort() {
    return port(0);
  }

  public int submissionPort() {
    return port(1);
  }

  public int submissionsPort() {
    return port(2);
  }

  private int port(int listener) {
    return server.addresses().get(listener).getPort();
  }

  public List<SpoolEntry> queued() {
    return new ArrayList<>(server.spool().entries());
  }

  public String body(SpoolEntry entry) throws IOException {
    var buffer = server.spool().readBody(entry.id());
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public Path certificate() {
    return dataDir.resolve("tls").resolve("selfsigned.crt");
  }

  boolean certificateWritten() {
    return Files.isRegularFile(certificate());
  }

  @Override
  public void close() {
    server.close();
  }
}
