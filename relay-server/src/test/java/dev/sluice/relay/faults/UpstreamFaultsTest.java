package dev.sluice.relay.faults;

import static dev.sluice.relay.faults.FaultBench.SENDER;
import static dev.sluice.relay.faults.FaultBench.copiesOf;
import static dev.sluice.relay.faults.FaultBench.relayPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import dev.sluice.relay.testing.TestCertificates;
import dev.sluice.routing.traffic.HealthState;
import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream faults, one per attempt, injected on real sockets on loopback: each ends as the policy
 * says (next member, retry, or one DSN) and no accepted message is lost.
 */
@Tag("faults")
class UpstreamFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private FaultBench bench;

  @BeforeEach
  void bench() throws Exception {
    bench = new FaultBench(dir);
  }

  @AfterEach
  void close() {
    bench.close();
  }

  @Test
  void aRelayThatRefusesConnectionsIsTakenDownAndItsMailGoesThroughTheNextMember()
      throws Exception {
    ScriptedSmtpServer backup = bench.peer("127.0.0.41");
    int refused = Ports.refusing();
    bench.start(
        """
        pools:
          main:
            members:
              - { name: refusing, weight: 100, relay: { host: 127.0.0.1, port: %d, tls: none } }
              - { name: backup, weight: 1, relay: { host: 127.0.0.41, port: %d, tls: none } }
        rules: [ { name: all, route: { pool: main } } ]
        """
            .formatted(refused, backup.address().getPort()),
        25,
        "");
    for (int i = 0; i < 5; i++) {
      assertThat(bench.submit("refused-" + i, "user" + i + "@example.net")).startsWith("250 ");
    }

    List<ReceivedMessage> got = backup.awaitMessages(5, WAIT);
    bench.awaitSpoolEmpty();
    for (int i = 0; i < 5; i++) {
      assertThat(copiesOf("refused-" + i, got)).hasSize(1);
    }
    bench.awaitEvent("member_down", "refusing");
    assertThat(bench.dsns()).isEmpty();
    bench.assertNothingLost();
  }

  @Test
  void aConnectionResetInTheMiddleOfDataIsNotADeliveryAndTheMessageIsSentAgain() throws Exception {
    ScriptedSmtpServer relay = bench.peer("127.0.0.42").resetDuringData(64 * 1024, 1);
    bench.start(relayPool(relay), 25, "");
    String body = "0123456789abcdef".repeat(4).concat("\r\n").repeat(16 * 1024); // 1 MB
    assertThat(bench.submitWithBody("reset", body, "user@example.net")).startsWith("250 ");

    ReceivedMessage m = relay.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(relay.commandLines("DATA")).hasSize(2); // the reset transaction, then the good one
    assertThat(relay.messages()).hasSize(1);
    assertThat(m.text()).endsWith(body);
    // Mid-text for the peer; the client may have written it all into socket buffers by then.
    assertThat(bench.awaitLog("\"type\":\"deferred\"", "\"type\":\"delivered\""))
        .containsIgnoringCase("connection lost");
    bench.assertNothingLost();
  }

  @Test
  void aResetAfterOneRecipientWasRefusedStillBouncesItAndLeavesTheRelayUp() throws Exception {
    ScriptedSmtpServer relay =
        bench
            .peer("127.0.0.50")
            .answerRcptFor("bad@example.net", 550, "5.1.1 No such user")
            .resetDuringData(64 * 1024, 1);
    bench.start(relayPool(relay), 25, "");
    String body = "0123456789abcdef".repeat(4).concat("\r\n").repeat(16 * 1024); // 1 MB
    assertThat(bench.submitWithBody("reset-after-550", body, "good@example.net", "bad@example.net"))
        .startsWith("250 ");

    relay.awaitMessages(2, WAIT); // the copy for good@, sent again, and the DSN for bad@
    bench.awaitSpoolEmpty();
    assertThat(copiesOf("reset-after-550", relay.messages()))
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("good@example.net"));
    // bad@ kept the 550 it got before the reset: one DSN, and it was not offered again.
    assertThat(bench.dsns())
        .singleElement()
        .satisfies(dsn -> assertThat(dsn.text()).contains("Status: 5.1.1"));
    assertThat(relay.commandLines("RCPT TO:<bad@example.net>")).hasSize(1);
    // The relay answered MAIL and RCPT: a lost connection mid-message does not take it down.
    assertThat(bench.health("relay0", "*")).isEqualTo(HealthState.HEALTHY);
    bench.assertNothingLost();
  }

  @Test
  void aRelayThatStopsAnsweringAfterTheMessageTimesOutAndTheNextMemberDeliversIt()
      throws Exception {
    ScriptedSmtpServer stalled = bench.peer("127.0.0.43").stallAfterData(Duration.ofMinutes(5));
    ScriptedSmtpServer backup = bench.peer("127.0.0.44");
    bench.start(relayPool(stalled, backup), 25, "  data_timeout: 1s\n  command_timeout: 1s\n");
    assertThat(bench.submit("stalled", "user@example.net")).startsWith("250 ");

    ReceivedMessage m = backup.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(m.recipients()).containsExactly("user@example.net");
    // The stalled relay read the whole text but never answered: at-least-once sends it again.
    assertThat(stalled.commandLines("DATA")).hasSize(1);
    assertThat(stalled.messages()).isEmpty();
    bench.awaitLog("timeout after 1s");
    // A host that stops answering is held, unlike one that answered and then lost the connection.
    bench.awaitEvent("member_down", "relay0");
    bench.assertNothingLost();
  }

  @Test
  void a421StormSendsEveryMessageThroughTheBackupAndThePrimaryTakesTrafficAgainWhenItEnds()
      throws Exception {
    ScriptedSmtpServer primary =
        bench.peer("127.0.0.45").answerConnections(421, "4.3.2 Service busy", 1_000_000);
    ScriptedSmtpServer backup = bench.peer("127.0.0.46");
    bench.start(relayPool(primary, backup), 25, "");
    for (int i = 0; i < 20; i++) {
      assertThat(bench.submit("storm-" + i, "user" + i + "@example.net")).startsWith("250 ");
    }
    List<ReceivedMessage> got = backup.awaitMessages(20, WAIT);
    bench.awaitSpoolEmpty();
    for (int i = 0; i < 20; i++) {
      assertThat(copiesOf("storm-" + i, got)).as("storm-%d", i).hasSize(1);
    }
    assertThat(primary.connections()).isNotEmpty();
    assertThat(primary.commandLines("EHLO")).isEmpty();
    bench.awaitEvent("member_down", "relay0");

    primary.answerConnections(421, "4.3.2 Service busy", 0); // the storm is over
    Await.until(
        "the primary takes traffic again",
        () -> {
          try {
            bench.submit("after-storm", "back@example.net");
          } catch (MessagingException e) {
            throw new AssertionError(e);
          }
          return !primary.messages().isEmpty();
        });
    bench.awaitEvent("member_up", "relay0");
    bench.awaitSpoolEmpty();
    assertThat(bench.dsns()).isEmpty();
    bench.assertNothingLost();
  }

  @Test
  void a451ForOneDomainHoldsOnlyThatDomainsMailUntilItClears() throws Exception {
    ScriptedSmtpServer slow =
        bench.peer("127.0.0.47").answerRcpt(451, "4.7.1 Greylisted, try later", 1_000_000);
    ScriptedSmtpServer fast = bench.peer("127.0.0.48", slow.address().getPort());
    bench.dns.mx("slow.test", 10, "mx.slow.test").a("mx.slow.test", "127.0.0.47");
    bench.dns.mx("fast.test", 10, "mx.fast.test").a("mx.fast.test", "127.0.0.48");
    bench.start(FaultBench.directPool(), slow.address().getPort(), "");
    assertThat(bench.submit("to-slow", "a@slow.test")).startsWith("250 ");
    assertThat(bench.submit("to-fast", "b@fast.test")).startsWith("250 ");
    assertThat(bench.submit("to-both", "c@slow.test", "d@fast.test")).startsWith("250 ");

    fast.awaitMessages(2, WAIT);
    bench.awaitQueued(
        "the slow domain's mail was tried again and waits",
        s -> s.attempts() >= 2 && s.lastError().contains("451 4.7.1"));
    // Mail for the other domain keeps flowing meanwhile, and the member stays up.
    assertThat(bench.submit("to-fast-meanwhile", "e@fast.test")).startsWith("250 ");
    fast.awaitMessages(3, WAIT);
    assertThat(slow.messages()).isEmpty();
    // Deferred RCPTs are soft failures (the member may be degraded), never a path failure.
    assertThat(bench.health("direct", "default")).isNotEqualTo(HealthState.DOWN);

    slow.answerRcpt(451, "4.7.1 Greylisted, try later", 0);
    List<ReceivedMessage> late = slow.awaitMessages(2, WAIT);
    bench.awaitSpoolEmpty();
    assertThat(copiesOf("to-slow", late))
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("a@slow.test"));
    assertThat(copiesOf("to-both", late))
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("c@slow.test"));
    assertThat(copiesOf("to-both", fast.messages()))
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("d@fast.test"));
    assertThat(fast.messages()).hasSize(3);
    assertThat(bench.dsns()).isEmpty();
    bench.assertNothingLost();
  }

  @Test
  void a550ForOneRecipientOfFiveDeliversTheFourInOneTransactionAndBouncesTheFifthWithOneDsn()
      throws Exception {
    ScriptedSmtpServer relay =
        bench.peer("127.0.0.49").answerRcptFor("bad@example.net", 550, "5.1.1 No such user");
    bench.start(relayPool(relay), 25, "");
    String[] five = {
      "a@example.net", "b@example.net", "bad@example.net", "c@example.net", "d@example.net"
    };
    assertThat(bench.submit("one-of-five", five)).startsWith("250 ");

    relay.awaitMessages(2, WAIT);
    bench.awaitSpoolEmpty();
    assertThat(copiesOf("one-of-five", relay.messages()))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.recipients())
                    .containsExactly(
                        "a@example.net", "b@example.net", "c@example.net", "d@example.net"));
    ReceivedMessage dsn = bench.dsns().get(0);
    assertThat(bench.dsns()).hasSize(1);
    assertThat(dsn.recipients()).containsExactly(SENDER);
    assertThat(dsn.text())
        .contains("multipart/report")
        .contains("Final-Recipient: rfc822; bad@example.net\r\n")
        .contains("Action: failed")
        .contains("Status: 5.1.1")
        .contains("Remote-MTA: dns; 127.0.0.49\r\n")
        .contains("Diagnostic-Code: smtp; 550 5.1.1 No such user")
        .contains("Subject: one-of-five")
        .contains("X-Test: fault");
    assertThat(dsn.text().split("Final-Recipient:", -1)).hasSize(2); // the fifth only
    bench.assertNothingLost();
    // The hard-bounced address is now refused at RCPT.
    assertThat(bench.submit("again", "bad@example.net")).contains("550 5.1.1");
  }

  @Test
  void aTlsHandshakeFailureAtARelayThatRequiresTlsSendsTheMessageToTheNextMemberNeverInClear()
      throws Exception {
    TestCertificates.TestCertificate untrusted =
        TestCertificates.create(dir.resolve("p"), "primary.relay.test");
    TestCertificates.TestCertificate trusted =
        TestCertificates.create(dir.resolve("b"), "backup.relay.test");
    ScriptedSmtpServer primary = bench.peer("127.0.0.50").withStartTls(untrusted.server());
    ScriptedSmtpServer backup = bench.peer("127.0.0.51").withStartTls(trusted.server());
    bench.dns.a("primary.relay.test", "127.0.0.50").a("backup.relay.test", "127.0.0.51");
    bench.start(
        """
        pools:
          main:
            members:
              - { name: primary, weight: 100, relay: { host: primary.relay.test, port: %d, tls: required } }
              - { name: backup, weight: 1, relay: { host: backup.relay.test, port: %d, tls: required } }
        rules: [ { name: all, route: { pool: main } } ]
        """
            .formatted(primary.address().getPort(), backup.address().getPort()),
        25,
        "  tls_trust: \"" + trusted.certificate() + "\"\n");
    assertThat(bench.submit("tls-failure", "user@example.net")).startsWith("250 ");

    ReceivedMessage m = backup.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(m.recipients()).containsExactly("user@example.net");
    assertThat(backup.commandLines("STARTTLS")).isNotEmpty();
    assertThat(primary.commandLines("STARTTLS")).isNotEmpty();
    assertThat(primary.commandLines("MAIL")).isEmpty();
    assertThat(primary.messages()).isEmpty();
    bench.assertNothingLost();
  }

  @Test
  void aWrongAuthPasswordAtTheRelaySendsTheMessageToTheNextMemberAndNoSecretIsLogged()
      throws Exception {
    TestCertificates.TestCertificate primaryCert =
        TestCertificates.create(dir.resolve("p"), "primary.relay.test");
    TestCertificates.TestCertificate backupCert =
        TestCertificates.create(dir.resolve("b"), "backup.relay.test");
    ScriptedSmtpServer primary =
        bench
            .peer("127.0.0.52")
            .withStartTls(primaryCert.server())
            .requireAuth("sluice", "right-one");
    ScriptedSmtpServer backup =
        bench
            .peer("127.0.0.53")
            .withStartTls(backupCert.server())
            .requireAuth("sluice", "s3cret-backup");
    Path trust = dir.resolve("trust.pem");
    Files.writeString(
        trust,
        Files.readString(primaryCert.certificate()) + Files.readString(backupCert.certificate()));
    Path wrong = dir.resolve("primary.pass");
    Files.writeString(wrong, "wrong-password\n");
    Path right = dir.resolve("backup.pass");
    Files.writeString(right, "s3cret-backup\n");
    bench.dns.a("primary.relay.test", "127.0.0.52").a("backup.relay.test", "127.0.0.53");
    bench.start(
        """
        pools:
          main:
            members:
              - { name: primary, weight: 100, relay: { host: primary.relay.test, port: %d, tls: required,
                  auth: { username: sluice, password_file: "%s" } } }
              - { name: backup, weight: 1, relay: { host: backup.relay.test, port: %d, tls: required,
                  auth: { username: sluice, password_file: "%s" } } }
        rules: [ { name: all, route: { pool: main } } ]
        """
            .formatted(primary.address().getPort(), wrong, backup.address().getPort(), right),
        25,
        "  tls_trust: \"" + trust + "\"\n");
    assertThat(bench.submit("wrong-auth", "user@example.net")).startsWith("250 ");

    ReceivedMessage m = backup.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(m.recipients()).containsExactly("user@example.net");
    assertThat(backup.commandLines("STARTTLS")).isNotEmpty();
    assertThat(primary.commandLines("AUTH")).isNotEmpty();
    assertThat(primary.messages()).isEmpty();
    String log = bench.awaitLog("\"type\":\"delivered\"", "535 Authentication");
    for (String secret : List.of("wrong-password", "s3cret-backup")) {
      assertThat(log)
          .doesNotContain(secret)
          .doesNotContain(base64(secret)) // AUTH LOGIN
          .doesNotContain(base64("\0sluice\0" + secret)); // AUTH PLAIN
      assertThat(m.text()).doesNotContain(secret);
    }
    assertThat(bench.dsns()).isEmpty();
    bench.assertNothingLost();
  }

  private static String base64(String secret) {
    return Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
  }
}
