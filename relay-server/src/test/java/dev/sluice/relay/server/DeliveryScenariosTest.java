package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.queue.DeliveryState;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.LocalDnsServer;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import dev.sluice.relay.testing.TestCertificates;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.testing.Policies;
import dev.sluice.routing.traffic.HealthState;
import dev.sluice.routing.traffic.Suspension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-server delivery stories: mail submitted to the relay listener reaches SMTP servers we did
 * not write (SubEthaSMTP) bound on their own loopback addresses, through a local DNS server, and
 * survives their failures as the policy says. The fault-injection suite ({@code
 * dev.sluice.relay.faults}) has the canonical story of each upstream and DNS fault.
 */
class DeliveryScenariosTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private SluiceServer sluice;
  private LocalDnsServer dns;

  @AfterEach
  void stop() throws Exception {
    if (sluice != null) {
      sluice.close();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ScriptedSmtpServer sink(String address) {
    ScriptedSmtpServer s = ScriptedSmtpServer.start(address);
    open.add(s);
    return s;
  }

  /**
   * A failed member is tried again after half a second and is back at full weight a second later.
   */
  private static final String QUICK_RECOVERY =
      "\ntraffic: { health: { recheck: [500ms], ramp: 1s }, recipient_rate: off }\n";

  /** Starts Sluice with {@code routes}, DNS from the local server, quick retries and rechecks. */
  private void start(String routes, int smtpPort) throws Exception {
    start(routes, smtpPort, "", "");
  }

  /**
   * As {@link #start(String, int)}, with more keys for the {@code delivery:} section and for the
   * top level of sluice.yaml.
   */
  private void start(String routes, int smtpPort, String deliveryKeys, String topLevel)
      throws Exception {
    dns = dns == null ? LocalDnsServer.start() : dns;
    open.add(dns);
    String yaml =
        """
        hostname: relay.sluice.test
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "%s" ] }
        admin: { address: "127.0.0.1:0" }
        delivery:
          smtp_port: %d
          retry: [ 300ms ]
          shutdown_grace: 5s
        %s
        """
                .formatted(dns.address(), smtpPort, deliveryKeys)
            + topLevel;
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dir);
    sluice =
        SluiceServer.start(config, Policies.parse(routes + QUICK_RECOVERY), dir, Clock.systemUTC());
  }

  private static String relayPool(ScriptedSmtpServer... members) {
    StringBuilder s = new StringBuilder("pools:\n  main:\n    members:\n");
    int weight = 100;
    for (int i = 0; i < members.length; i++) {
      s.append("      - { name: relay")
          .append(i)
          .append(", weight: ")
          .append(weight)
          .append(", relay: { host: ")
          .append(members[i].address().getAddress().getHostAddress())
          .append(", port: ")
          .append(members[i].address().getPort())
          .append(", tls: none } }\n");
      weight = 1;
    }
    return s + "rules: [ { name: all, route: { pool: main } } ]\n";
  }

  /** Submits one message through the relay listener; returns its 250 reply. */
  private String submit(String from, String subject, String... to) throws IOException {
    try (RawSmtpClient c = new RawSmtpClient(sluice.addresses().get(0).getPort())) {
      c.readLine();
      c.send("EHLO app.test\r\n");
      while (!c.readLine().startsWith("250 ")) {
        // rest of the EHLO reply
      }
      StringBuilder cmds = new StringBuilder("MAIL FROM:<" + from + ">\r\n");
      for (String rcpt : to) {
        cmds.append("RCPT TO:<").append(rcpt).append(">\r\n");
      }
      c.send(cmds + "DATA\r\n");
      List<String> replies = new ArrayList<>();
      for (int i = 0; i < to.length + 2; i++) {
        replies.add(c.readLine());
      }
      if (!replies.get(replies.size() - 1).startsWith("354")) {
        return String.join(" | ", replies);
      }
      c.send(
          "From: <"
              + from
              + ">\r\nSubject: "
              + subject
              + "\r\nX-Test: scenario\r\n\r\nHello.\r\n..hidden dot line\r\n.\r\nQUIT\r\n");
      return c.readLine();
    }
  }

  private static Set<String> subjects(List<ReceivedMessage> messages) {
    Set<String> out = new HashSet<>();
    for (ReceivedMessage m : messages) {
      String t = m.text();
      int i = t.indexOf("Subject: ");
      if (i >= 0) {
        out.add(t.substring(i + 9, t.indexOf("\r\n", i)));
      }
    }
    return out;
  }

  @Test
  void deliversDirectToTheMxFromTheMembersSourceIpAndTriesTheNextMxWhenOneRefuses()
      throws Exception {
    ScriptedSmtpServer mx2 = sink("127.0.0.9");
    dns = LocalDnsServer.start();
    dns.mx("example.net", 10, "mx1.example.net").a("mx1.example.net", "127.0.0.10");
    dns.mx("example.net", 20, "mx2.example.net").a("mx2.example.net", "127.0.0.9");
    start(
        """
        pools: { direct: { members: [ { name: ip-2, source_ip: 127.0.0.2, ehlo: out2.sluice.test } ] } }
        rules: [ { name: all, route: { pool: direct } } ]
        """,
        mx2.address().getPort());
    assertThat(submit("app@sender.test", "direct-1", "a@example.net", "b@example.net"))
        .startsWith("250 2.0.0 Ok: queued as ");
    ReceivedMessage m = mx2.awaitMessages(1, Duration.ofSeconds(20)).get(0);
    assertThat(m.client().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(m.recipients()).containsExactlyInAnyOrder("a@example.net", "b@example.net");
    assertThat(m.text()).contains("Received: from app.test").contains("\r\n.hidden dot line\r\n");
    Await.until("the spool is empty", () -> sluice.spool().entries().isEmpty());
    assertThat(mx2.commandLines("EHLO")).contains("EHLO out2.sluice.test");
  }

  @Test
  void aPrimaryRelayAnswering421SendsEveryMessageThroughTheBackupAndTrafficReturnsWhenItRecovers()
      throws Exception {
    ScriptedSmtpServer primary = sink("127.0.0.3").answerRcpt(421, "4.3.2 Service busy", 1_000_000);
    ScriptedSmtpServer backup = sink("127.0.0.4");
    start(relayPool(primary, backup), 25);
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(submit("app@sender.test", "outage-" + i, "user" + i + "@example.net"))
          .startsWith("250 ");
      sent.add("outage-" + i);
    }
    backup.awaitMessages(20, Duration.ofSeconds(20));
    Await.until("the spool is empty", () -> sluice.spool().entries().isEmpty());
    assertThat(subjects(backup.messages())).isEqualTo(sent);
    assertThat(backup.messages()).hasSize(20); // none twice
    assertThat(primary.messages()).isEmpty();

    primary.answerRcpt(421, "4.3.2 Service busy", 0); // the primary is healthy again
    Await.until(
        "the primary takes traffic again",
        () -> {
          try {
            submit("app@sender.test", "recovered", "back@example.net");
            return !primary.messages().isEmpty();
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
    Await.until("the spool is empty", () -> sluice.spool().entries().isEmpty());
  }

  @Test
  void whenEveryPathIsDownTheMessageWaitsInTheRetryQueueAndIsDeliveredWhenOneComesBack()
      throws Exception {
    ScriptedSmtpServer only = sink("127.0.0.6").answerRcpt(451, "4.3.0 try later", 1_000_000);
    start(relayPool(only), 25);
    assertThat(submit("app@sender.test", "patient", "user@example.net")).startsWith("250 ");
    Await.until(
        "two failed attempts recorded",
        () ->
            sluice.spool().entries().stream()
                .map(SpoolEntry::state)
                .map(DeliveryState::of)
                .anyMatch(s -> s.attempts() >= 2 && s.lastError().contains("451 4.3.0")));
    assertThat(only.messages()).isEmpty();
    only.answerRcpt(451, "4.3.0 try later", 0);
    assertThat(only.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
    Await.until("the spool is empty", () -> sluice.spool().entries().isEmpty());
  }

  @Test
  void aServerThatTakesFewerRecipientsPerTransactionGetsTheRestInANewOne() throws Exception {
    ScriptedSmtpServer relay = sink("127.0.0.13").answerRcpt(452, "4.5.3 Too many recipients", 1);
    start(relayPool(relay), 25);
    assertThat(
            submit("app@sender.test", "split", "a@example.net", "b@example.net", "c@example.net"))
        .startsWith("250 ");
    List<ReceivedMessage> got = relay.awaitMessages(2, Duration.ofSeconds(20));
    Await.until("the spool is empty", () -> sluice.spool().entries().isEmpty());
    assertThat(got).extracting(m -> m.recipients().size()).containsExactly(2, 1);
    assertThat(got.get(1).recipients()).containsExactly("a@example.net");
    assertThat(relay.messages()).noneMatch(m -> m.sender().isEmpty());
  }

  @Test
  void aRuleThatRequiresDkimSignsWithTheSendersKeyAndDefersWhenThereIsNone() throws Exception {
    ScriptedSmtpServer relay = sink("127.0.0.14");
    Path key = dir.resolve("sender.test.pem");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    try (JcaPEMWriter pem = new JcaPEMWriter(Files.newBufferedWriter(key))) {
      pem.writeObject(generator.generateKeyPair().getPrivate());
    }
    start(
        relayPool(relay).replace("route: { pool: main }", "route: { pool: main, dkim: required }"),
        25,
        "",
        "dkim: [ { domain: sender.test, selector: s2026, key: \"" + key + "\" } ]\n");
    assertThat(submit("app@sender.test", "signed", "user@example.net")).startsWith("250 ");
    ReceivedMessage m = relay.awaitMessages(1, Duration.ofSeconds(20)).get(0);
    assertThat(m.text())
        .startsWith("DKIM-Signature: v=1; a=rsa-sha256;")
        .contains("d=sender.test;")
        .contains("s=s2026;");

    assertThat(submit("app@nokey.test", "unsigned", "user@example.net")).startsWith("250 ");
    Await.until(
        "the unsigned message is deferred",
        () ->
            sluice.spool().entries().stream()
                .map(e -> DeliveryState.of(e.state()))
                .anyMatch(
                    s ->
                        s.lastError() != null
                            && s.lastError().contains("no dkim key for nokey.test")));
    assertThat(relay.messages()).hasSize(1);
  }

  @Test
  void connectionsAreReusedUpToTheDestinationsMessagesPerConnection() throws Exception {
    ScriptedSmtpServer relay = sink("127.0.0.15");
    start("destinations: { default: { messages_per_connection: 2 } }\n" + relayPool(relay), 25);
    for (int i = 1; i <= 6; i++) {
      assertThat(submit("app@sender.test", "reuse-" + i, "user@example.net")).startsWith("250 ");
      relay.awaitMessages(i, Duration.ofSeconds(20));
    }
    assertThat(relay.messages()).hasSize(6);
    assertThat(relay.connections()).hasSize(3);
  }

  @Test
  void aKeptConnectionTheServerClosesWith421AtMailIsReplacedWithoutBlamingTheRelay()
      throws Exception {
    ScriptedSmtpServer relay = sink("127.0.0.16");
    start(relayPool(relay), 25);
    assertThat(submit("app@sender.test", "first", "user@example.net")).startsWith("250 ");
    relay.awaitMessages(1, Duration.ofSeconds(20));

    // The relay's idle timeout meets our reuse: the next MAIL on that connection gets 421.
    relay.answerMail(421, "4.4.2 Idle too long, closing connection", 1);
    assertThat(submit("app@sender.test", "second", "user@example.net")).startsWith("250 ");
    relay.awaitMessages(2, Duration.ofSeconds(20));

    assertThat(relay.connections()).hasSize(2);
    MemberConfig member = sluice.policy().routes().members().get("relay0");
    assertThat(
            sluice
                .scheduler()
                .traffic(t -> t.state(member, "*", Instant.now()).health().state())
                .join())
        .isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void aDestinationThatRequiresTlsGetsVerifiedStarttlsOrNothing() throws Exception {
    TestCertificates.TestCertificate cert =
        TestCertificates.create(dir.resolve("mx"), "mx.secure.test");
    ScriptedSmtpServer mx = sink("127.0.0.16").withStartTls(cert.server());
    dns = LocalDnsServer.start();
    dns.mx("secure.test", 10, "mx.secure.test").a("mx.secure.test", "127.0.0.16");
    // The same server under another name: its certificate does not match, so no delivery.
    dns.mx("mismatch.test", 10, "mx.other.test").a("mx.other.test", "127.0.0.16");
    start(
        """
        destinations:
          strict: { domains: [secure.test, mismatch.test], tls: required }
        pools: { direct: { members: [ { name: direct } ] } }
        rules: [ { name: all, route: { pool: direct } } ]
        """,
        mx.address().getPort(),
        "  tls_trust: \"" + cert.certificate() + "\"",
        "");
    assertThat(submit("app@sender.test", "secret", "someone@secure.test")).startsWith("250 ");
    assertThat(mx.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
    assertThat(mx.commandLines("STARTTLS")).isNotEmpty();
    assertThat(submit("app@sender.test", "unverified", "someone@mismatch.test")).startsWith("250 ");
    Await.until(
        "the unverifiable message is deferred",
        () ->
            sluice.spool().entries().stream()
                .map(e -> DeliveryState.of(e.state()))
                .anyMatch(st -> st.attempts() >= 1 && st.lastError().contains("mx.other.test")));
    assertThat(mx.messages()).hasSize(1);
  }

  @Test
  void aRelayWhoseProbesFailIsTakenOutBeforeAnyMessageIsSentToIt() throws Exception {
    ScriptedSmtpServer primary = sink("127.0.0.13").requireAuth("sluice", "right-one");
    ScriptedSmtpServer backup = sink("127.0.0.14");
    Path wrong = dir.resolve("primary.pass");
    Files.writeString(wrong, "wrong-password\n");
    String routes =
        """
        pools:
          main:
            members:
              - { name: primary, weight: 100, relay: { host: 127.0.0.13, port: %d, tls: none, probe: 1s,
                  auth: { username: sluice, password_file: "%s" } } }
              - { name: backup, weight: 1, relay: { host: 127.0.0.14, port: %d, tls: none } }
        rules: [ { name: all, route: { pool: main } } ]
        """
            .formatted(primary.address().getPort(), wrong, backup.address().getPort());
    start(routes, 25);
    MemberConfig member = Policies.parse(routes).pools().get("main").members().get(0);
    Await.until(
        "three failed probes take the primary down",
        () ->
            sluice
                    .scheduler()
                    .traffic(t -> t.state(member, "*", Instant.now()).health().state())
                    .join()
                == HealthState.DOWN);
    assertThat(primary.commandLines("AUTH")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(submit("app@sender.test", "probed", "user@example.net")).startsWith("250 ");
    assertThat(backup.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
    assertThat(primary.commandLines("MAIL")).isEmpty();
  }

  @Test
  void aResponseRuleSuspendsTheMemberThatGotTheReplyAndTheMessageGoesThroughTheOther()
      throws Exception {
    ScriptedSmtpServer primary =
        sink("127.0.0.15")
            .answerRcpt(451, "4.7.0 [TS04] Messages from 127.0.0.1 temporarily deferred", 1);
    ScriptedSmtpServer backup = sink("127.0.0.17");
    String pool = relayPool(primary, backup);
    start(
        pool
            + """
            destinations:
              default:
                responses: [ { name: yahoo-ts04, match: '\\[TS0[1-4]\\]', action: suspend, duration: 1h } ]
            """,
        25);
    assertThat(submit("app@sender.test", "suspended", "user@example.net")).startsWith("250 ");
    assertThat(backup.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
    assertThat(primary.commandLines("RCPT")).hasSize(1);
    List<Suspension> suspended =
        sluice.scheduler().traffic(t -> t.suspensions(Instant.now())).join();
    assertThat(suspended)
        .singleElement()
        .satisfies(x -> assertThat(x.subject()).isEqualTo("relay0"))
        .satisfies(x -> assertThat(x.setBy()).isEqualTo("yahoo-ts04"))
        .satisfies(x -> assertThat(x.reason()).contains("[TS04]"))
        .satisfies(x -> assertThat(x.until()).isAfter(Instant.now().plus(Duration.ofMinutes(59))));
  }
}
