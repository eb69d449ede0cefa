package dev.sluice.relay.faults;

import dev.sluice.relay.admin.AdminClient;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.server.RawSmtpClient;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.routing.testing.Policies;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole Sluice in the test's JVM for the fault tests: one relay listener trusting 127.0.0.1, one
 * pool {@code sink} whose only member relays to an SMTP port on 127.0.0.1 (a {@link
 * ScriptedSmtpServer}, or a dead port), retries after one second, and the admin API with a token.
 * The {@code spool:} line and anything the fault needs ({@code cluster:}…) come from the test.
 *
 * <p>Messages carry a token in their subject, so that what reached the sink can be matched with
 * what got a 250: {@link #send} and {@link #delivered}.
 */
final class FaultSluice implements AutoCloseable {
  static final String RECIPIENT = "sink@faults.test";
  private static final String TOKEN = "faults-admin-token-0123456789";
  static final Pattern SUBJECT = Pattern.compile("Subject: (\\S+)\r\n");

  final SluiceServer server;
  final AdminClient admin;

  private FaultSluice(SluiceServer server) {
    this.server = server;
    this.admin = new AdminClient(server.adminAddress(), TOKEN);
  }

  /**
   * Starts Sluice on {@code dataDir}, delivering to 127.0.0.1:{@code upstreamPort}; {@code
   * serverYaml} holds at least the {@code spool:} line.
   */
  static FaultSluice start(Path dataDir, int upstreamPort, String serverYaml) throws Exception {
    return start(dataDir, upstreamPort, serverYaml, "");
  }

  /** As {@link #start(Path, int, String)}, with more keys for the member ({@code limits: …}). */
  static FaultSluice start(Path dataDir, int upstreamPort, String serverYaml, String memberYaml)
      throws Exception {
    Files.writeString(dataDir.resolve("admin.token"), TOKEN + "\n");
    String yaml =
        """
        hostname: relay.faults.test
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0", token_file: admin.token }
        delivery: { retry: [ 1s ], shutdown_grace: 1s }
        """
                .formatted(Ports.free())
            + serverYaml;
    String routes =
        """
        pools:
          sink:
            members: [ { name: sink, relay: { host: 127.0.0.1, port: %d, tls: none }%s } ]
        rules: [ { name: everything, route: { pool: sink } } ]
        traffic: { recipient_rate: off, health: { recheck: [1s], ramp: 1s } }
        """
            .formatted(upstreamPort, memberYaml.isEmpty() ? "" : ", " + memberYaml);
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dataDir);
    return new FaultSluice(
        SluiceServer.start(config, Policies.parse(routes), dataDir, Clock.systemUTC()));
  }

  /**
   * Sends one message with {@code Subject: token} on a new connection; returns the reply that ended
   * it: the one to the final dot, or the first refusal before it (the greeting included).
   */
  String send(String token, String body) throws IOException {
    try (RawSmtpClient c = new RawSmtpClient(server.addresses().get(0).getPort())) {
      String greeting = c.readLine();
      if (greeting == null || !greeting.startsWith("220 ")) {
        return greeting;
      }
      c.send("HELO faults.test\r\n");
      String reply = c.readLine();
      for (String command :
          new String[] {"MAIL FROM:<app@faults.test>", "RCPT TO:<" + RECIPIENT + ">", "DATA"}) {
        if (reply == null || !(reply.startsWith("2") || reply.startsWith("3"))) {
          return reply;
        }
        c.send(command + "\r\n");
        reply = c.readLine();
      }
      if (reply == null || !reply.startsWith("354")) {
        return reply;
      }
      c.send("Subject: " + token + "\r\n\r\n" + body + ".\r\n");
      reply = c.readLine();
      c.send("QUIT\r\n");
      return reply;
    }
  }

  /** The value of an unlabelled sample of {@code /metrics}. */
  double metric(String name) throws IOException, InterruptedException {
    HttpResponse<String> scrape = admin.get("/metrics");
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape.body());
    if (scrape.statusCode() != 200 || !m.find()) {
      throw new AssertionError("no " + name + " in /metrics (" + scrape.statusCode() + ")");
    }
    return Double.parseDouble(m.group(1));
  }

  /** How many complete copies of each subject token the sink received. */
  static Map<String, Integer> delivered(ScriptedSmtpServer sink) {
    Map<String, Integer> tokens = new HashMap<>();
    for (ScriptedSmtpServer.ReceivedMessage m : sink.messages()) {
      Matcher token = SUBJECT.matcher(m.text());
      if (m.recipients().contains(RECIPIENT) && token.find()) {
        tokens.merge(token.group(1), 1, Integer::sum);
      }
    }
    return tokens;
  }

  @Override
  public void close() {
    server.close();
  }
}
