package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.routing.testing.Policies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole Sluice for admin API tests, on free loopback ports:
 *
 * <ul>
 *   <li>pool {@code main}: relay member {@code good} to an upstream that accepts everything;
 *   <li>pool {@code stuck} (rule for {@code stuck.test}): relay member {@code flaky} to an upstream
 *       the test scripts, with one connection at a time;
 *   <li>pool {@code spare}: {@code nowhere}, a relay on a dead port with credentials (its password
 *       is {@link #RELAY_PASSWORD}, which no answer may show), and {@code direct1}, a direct member
 *       with hourly and daily quotas.
 * </ul>
 *
 * The first retry comes after ten minutes, so a deferred message waits in the queue for the test.
 */
final class ApiSluice implements AutoCloseable {
  static final String TOKEN = "api-test-token-0123456789abcdef";
  static final String RELAY_PASSWORD = "s3cr3t-relay-passw0rd";

  final SluiceServer server;
  final ScriptedSmtpServer good;
  final ScriptedSmtpServer flaky;
  final AdminClient client;

  private ApiSluice(SluiceServer server, ScriptedSmtpServer good, ScriptedSmtpServer flaky) {
    this.server = server;
    this.good = good;
    this.flaky = flaky;
    this.client = new AdminClient(server.adminAddress(), TOKEN);
  }

  static ApiSluice start(Path dir, ScriptedSmtpServer good, ScriptedSmtpServer flaky)
      throws Exception {
    Path secret = dir.resolve("relay.secret");
    Files.writeString(secret, RELAY_PASSWORD + "\n");
    Files.writeString(dir.resolve("token"), TOKEN + "\n");
    String yaml =
        """
        hostname: relay.sluice.test
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0", token_file: token }
        suppression: { refuse_at_rcpt: true }
        delivery:
          retry: [ 10m ]
          shutdown_grace: 1s
        """
            .formatted(Ports.free());
    String routes =
        """
        pools:
          main:
            members: [ { name: good, relay: { host: 127.0.0.1, port: %d, tls: none } } ]
          stuck:
            members:
              - { name: flaky, relay: { host: 127.0.0.1, port: %d, tls: none },
                  limits: { connections: 1 } }
          spare:
            members:
              - { name: nowhere, relay: { host: 127.0.0.1, port: %d, tls: none,
                  auth: { username: api-user, password_file: "%s" } } }
              - { name: direct1, source_ip: 127.0.0.1, limits: { per_hour: 100, per_day: 1000 } }
        rules:
          - { name: stuck, match: { recipient_domain: stuck.test }, route: { pool: stuck } }
          - { name: default, route: { pool: main } }
        traffic: { recipient_rate: off }
        """
            .formatted(
                good.address().getPort(), flaky.address().getPort(), Ports.refusing(), secret);
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dir);
    return new ApiSluice(
        SluiceServer.start(config, Policies.parse(routes), dir, Clock.systemUTC()), good, flaky);
  }

  /** Submits one message to the relay listener; returns the last reply (250 when queued). */
  String submit(String from, String to, String subject) throws IOException {
    try (Socket s =
        new Socket(InetAddress.getLoopbackAddress(), server.addresses().get(0).getPort())) {
      s.setSoTimeout(10_000);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      List<String> commands =
          List.of(
              "EHLO app.test",
              "MAIL FROM:<" + from + ">",
              "RCPT TO:<" + to + ">",
              "DATA",
              "From: <"
                  + from
                  + ">\r\nTo: <"
                  + to
                  + ">\r\nSubject: "
                  + subject
                  + "\r\nMessage-ID: <"
                  + subject.replace(' ', '-')
                  + "@app.test>\r\n\r\nHello.\r\n.");
      reply(in);
      String last = "";
      for (String c : commands) {
        out.write((c + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        last = reply(in);
        if (!last.startsWith("2") && !last.startsWith("3")) {
          break;
        }
      }
      out.write("QUIT\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      return last;
    }
  }

  private static String reply(BufferedReader in) throws IOException {
    String line;
    do {
      line = in.readLine();
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return line == null ? "" : line;
  }

  /** The messages in the spool now. */
  List<SpoolEntry> queued() {
    return new ArrayList<>(server.spool().entries());
  }

  JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.MAPPER.readTree(response.body());
  }

  @Override
  public void close() {
    server.close();
  }
}
