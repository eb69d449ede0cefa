package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.queue.DeliveryState;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.LocalDnsServer;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.testing.Policies;
import dev.sluice.routing.traffic.HealthState;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * A whole Sluice on loopback for fault tests, with what it talks to: a {@link LocalDnsServer} it
 * resolves through and {@link ScriptedSmtpServer} peers the test scripts to fail. Retries come
 * after 300 ms, a failed member is rechecked after 500 ms, a DNS query times out after 500 ms, and
 * events are logged to {@code sluice.log} in the test's directory.
 *
 * <p>It keeps a ledger of every message Sluice accepted (answered 250), so a test can check at the
 * end that each recipient of each one reached a peer, was bounced with one DSN, or is still queued:
 * {@link #assertNothingLost()}.
 */
final class FaultBench implements AutoCloseable {
  /** The envelope sender of every submitted message; DSNs go back to it. */
  static final String SENDER = "app@sender.test";

  private static final String TRAFFIC =
      "\ntraffic: { health: { recheck: [500ms], ramp: 1s }, recipient_rate: off }\n";

  /** A message Sluice answered 250, and to whom. */
  private record Accepted(String subject, List<String> recipients) {}

  final LocalDnsServer dns;
  private final Path dir;
  private final List<ScriptedSmtpServer> peers = new ArrayList<>();
  private final List<Accepted> accepted = new ArrayList<>();
  private SluiceServer sluice;

  FaultBench(Path dir) throws IOException {
    this.dir = dir;
    this.dns = LocalDnsServer.start();
  }

  /** An SMTP peer on {@code loopback} and a free port, closed with the bench. */
  ScriptedSmtpServer peer(String loopback) {
    return peer(loopback, 0);
  }

  /** An SMTP peer on {@code loopback} and {@code port} (another MX host on a shared port). */
  ScriptedSmtpServer peer(String loopback, int port) {
    ScriptedSmtpServer peer = ScriptedSmtpServer.start(loopback, port);
    peers.add(peer);
    return peer;
  }

  /**
   * Starts Sluice with {@code routes} (the bench adds quick health rechecks), MX hosts on {@code
   * smtpPort}, and {@code deliveryKeys} (indented YAML lines) added to {@code delivery:}.
   */
  void start(String routes, int smtpPort, String deliveryKeys) throws Exception {
    String yaml =
        """
        hostname: relay.sluice.test
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "%s" ], timeout: 500ms }
        admin: { address: "127.0.0.1:0" }
        logging: { file: sluice.log }
        delivery:
          smtp_port: %d
          retry: [ 300ms ]
          shutdown_grace: 5s
        %s
        """
            .formatted(dns.address(), smtpPort, deliveryKeys);
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dir);
    sluice = SluiceServer.start(config, Policies.parse(routes + TRAFFIC), dir, Clock.systemUTC());
  }

  /** A pool {@code main} of relay members {@code relay0…}, the first preferred, and one rule. */
  static String relayPool(ScriptedSmtpServer... members) {
    StringBuilder s = new StringBuilder("pools:\n  main:\n    members:\n");
    for (int i = 0; i < members.length; i++) {
      s.append(
          "      - { name: relay%d, weight: %d, relay: { host: %s, port: %d, tls: none } }\n"
              .formatted(
                  i,
                  i == 0 ? 100 : 1,
                  members[i].address().getAddress().getHostAddress(),
                  members[i].address().getPort()));
    }
    return s + "rules: [ { name: all, route: { pool: main } } ]\n";
  }

  /** One direct-to-MX member, {@code direct}, for every message. */
  static String directPool() {
    return """
        pools: { direct: { members: [ { name: direct } ] } }
        rules: [ { name: all, route: { pool: direct } } ]
        """;
  }

  /**
   * Submits one message from {@link #SENDER} through the relay listener with Jakarta Mail; returns
   * the server's last reply, or the reply that refused it.
   */
  String submitWithBody(String subject, String body, String... to) throws MessagingException {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", String.valueOf(sluice.addresses().get(0).getPort()));
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(SENDER));
    m.setSubject(subject);
    m.setHeader("X-Test", "fault");
    m.setText(body);
    Address[] rcpts = new Address[to.length];
    for (int i = 0; i < to.length; i++) {
      rcpts[i] = new InternetAddress(to[i]);
    }
    m.setRecipients(Message.RecipientType.TO, rcpts);
    try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
      t.connect();
      try {
        t.sendMessage(m, rcpts);
      } catch (MessagingException e) {
        StringBuilder why = new StringBuilder(t.getLastServerResponse());
        for (Exception n = e.getNextException(); n != null; ) {
          why.append(" | ").append(n.getMessage());
          n = n instanceof MessagingException me ? me.getNextException() : null;
        }
        return why.toString();
      }
      String reply = t.getLastServerResponse();
      if (reply.startsWith("250")) {
        accepted.add(new Accepted(subject, List.of(to)));
      }
      return reply;
    }
  }

  /** As {@link #submitWithBody} with a one-line body. */
  String submit(String subject, String... to) throws MessagingException {
    return submitWithBody(subject, "Hello.\r\n", to);
  }

  /** Every message the peers took, DSNs included, in no particular order. */
  private List<ReceivedMessage> received() {
    List<ReceivedMessage> all = new ArrayList<>();
    peers.forEach(p -> all.addAll(p.messages()));
    return all;
  }

  /** The DSNs (null sender) the peers took. */
  List<ReceivedMessage> dsns() {
    return received().stream().filter(m -> m.sender().isEmpty()).toList();
  }

  /** The delivered copies of the message with {@code subject} (not DSNs about it). */
  static List<ReceivedMessage> copiesOf(String subject, List<ReceivedMessage> messages) {
    return messages.stream()
        .filter(m -> !m.sender().isEmpty() && m.text().contains(subjectLine(subject)))
        .toList();
  }

  private static String subjectLine(String subject) {
    return "Subject: " + subject + "\r\n";
  }

  void awaitSpoolEmpty() {
    Await.until("the spool is empty", () -> sluice.spool().entries().isEmpty());
  }

  /** Waits until a queued message's state satisfies {@code condition}. */
  void awaitQueued(String what, Predicate<DeliveryState> condition) {
    Await.until(
        what,
        () ->
            sluice.spool().entries().stream()
                .map(e -> DeliveryState.of(e.state()))
                .anyMatch(condition));
  }

  /** Waits until the log has a {@code type} event ({@code member_down}…) about {@code member}. */
  void awaitEvent(String type, String member) {
    Path file = dir.resolve("sluice.log");
    Await.until(
        type + " of " + member + " is logged",
        () ->
            read(file)
                .lines()
                .anyMatch(
                    l ->
                        l.contains("\"type\":\"" + type + "\"")
                            && l.contains("\"member\":\"" + member + "\"")));
  }

  /** The health of {@code member} toward {@code destination} ({@code "*"} for a relay's). */
  HealthState health(String member, String destination) {
    MemberConfig m = sluice.policy().routes().members().get(member);
    return sluice
        .scheduler()
        .traffic(t -> t.state(m, destination, Instant.now()).health().state())
        .join();
  }

  /**
   * What Sluice logged (one JSON event a line), once it holds every one of {@code fragments}:
   * events are written on the log's own thread, a little after they happen.
   */
  String awaitLog(String... fragments) {
    Path file = dir.resolve("sluice.log");
    Await.until(
        "the log holds " + List.of(fragments),
        () -> {
          String text = read(file);
          return List.of(fragments).stream().allMatch(text::contains);
        });
    return read(file);
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every recipient of every accepted message reached a peer, or is still queued, or was bounced
   * with exactly one DSN to the sender and not delivered as well: none is lost.
   */
  void assertNothingLost() throws IOException {
    List<ReceivedMessage> received = received();
    List<SpoolEntry> queued = List.copyOf(sluice.spool().entries());
    for (Accepted a : accepted) {
      for (String rcpt : a.recipients()) {
        long delivered =
            copiesOf(a.subject(), received).stream()
                .filter(m -> m.recipients().contains(rcpt))
                .count();
        long bounced =
            dsns().stream()
                .filter(m -> m.text().contains(subjectLine(a.subject())))
                .filter(m -> m.text().contains("Final-Recipient: rfc822; " + rcpt + "\r\n"))
                .count();
        long waiting = 0;
        for (SpoolEntry e : queued) {
          if (body(e).contains(subjectLine(a.subject()))
              && e.envelope().recipients().stream()
                  .map(SpoolRecipient::address)
                  .anyMatch(rcpt::equals)) {
            waiting++;
          }
        }
        String who = "<" + rcpt + "> of '" + a.subject() + "'";
        assertThat(delivered + bounced + waiting).as("%s is accounted for", who).isPositive();
        assertThat(bounced).as("DSNs for %s", who).isLessThanOrEqualTo(1);
        if (bounced == 1) {
          assertThat(delivered).as("%s bounced and delivered", who).isZero();
        }
      }
    }
  }

  private String body(SpoolEntry e) throws IOException {
    ByteBuffer buffer = sluice.spool().readBody(e.id());
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (sluice != null) {
      sluice.close();
    }
    peers.forEach(ScriptedSmtpServer::close);
    dns.close();
  }
}
