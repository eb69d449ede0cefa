package dev.sluice.relay.faults;

import static dev.sluice.relay.faults.FaultBench.SENDER;
import static dev.sluice.relay.faults.FaultBench.copiesOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS faults at the recipient domain's MX lookup, injected by the local DNS server Sluice resolves
 * through: a temporary failure defers (no DSN, no failover: every member sees the same DNS) until
 * DNS answers again; a domain that cannot take mail bounces at once with one DSN. One MX host on
 * loopback serves both the recipient domain and the sender's, so a DSN would arrive there too.
 */
@Tag("faults")
class DnsFaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private FaultBench bench;
  private ScriptedSmtpServer mx;

  @BeforeEach
  void bench() throws Exception {
    bench = new FaultBench(dir);
    mx = bench.peer("127.0.0.61");
    bench.dns.a("mx.test", "127.0.0.61");
    bench.dns.mx("sender.test", 10, "mx.test").mx("example.net", 10, "mx.test");
    bench.start(FaultBench.directPool(), mx.address().getPort(), "");
  }

  @AfterEach
  void close() {
    bench.close();
  }

  @Test
  void aResolverThatNeverAnswersDefersTheMessageAndItIsDeliveredWhenDnsAnswersAgain()
      throws Exception {
    bench.dns.silent("example.net");
    assertThat(bench.submit("dns-timeout", "user@example.net")).startsWith("250 ");

    bench.awaitQueued(
        "the message is deferred for the DNS timeout",
        s ->
            s.attempts() >= 1 && s.lastError().matches("451 4\\.4\\.3 .*example\\.net.*timeout.*"));
    assertThat(mx.messages()).isEmpty();
    bench.assertNothingLost();

    bench.dns.heal("example.net");
    ReceivedMessage m = mx.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(copiesOf("dns-timeout", mx.messages())).containsExactly(m);
    assertThat(bench.dsns()).isEmpty();
    bench.assertNothingLost();
  }

  @Test
  void aServfailDefersTheMessageAndItIsDeliveredWhenDnsAnswersAgain() throws Exception {
    bench.dns.servfail("example.net");
    assertThat(bench.submit("servfail", "user@example.net")).startsWith("250 ");

    bench.awaitQueued(
        "the message is deferred for the SERVFAIL",
        s ->
            s.attempts() >= 1
                && s.lastError().matches("451 4\\.4\\.3 .*example\\.net.*SERVFAIL.*"));
    assertThat(mx.messages()).isEmpty();
    bench.assertNothingLost();

    bench.dns.heal("example.net");
    ReceivedMessage m = mx.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(copiesOf("servfail", mx.messages())).containsExactly(m);
    assertThat(bench.dsns()).isEmpty();
    bench.assertNothingLost();
  }

  @Test
  void anNxdomainBouncesAtOnceWithOneDsn() throws Exception {
    bench.dns.nxdomain("gone.example");
    assertThat(bench.submit("nxdomain", "someone@gone.example", "user@example.net"))
        .startsWith("250 ");

    mx.awaitMessages(2, WAIT);
    bench.awaitSpoolEmpty();
    assertThat(copiesOf("nxdomain", mx.messages()))
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("user@example.net"));
    assertThat(bench.dsns())
        .singleElement()
        .satisfies(dsn -> assertThat(dsn.recipients()).containsExactly(SENDER))
        .satisfies(
            dsn ->
                assertThat(dsn.text())
                    .contains("Final-Recipient: rfc822; someone@gone.example\r\n")
                    .contains("Action: failed")
                    .contains("Status: 5.1.2\r\n")
                    .contains("Diagnostic-Code: smtp; 550 5.1.2 Domain gone.example does not exist")
                    .doesNotContain("Final-Recipient: rfc822; user@example.net"));
    bench.assertNothingLost();
  }

  @Test
  void aNullMxBouncesAtOnceWithOneDsn() throws Exception {
    bench.dns.nullMx("nomail.example");
    assertThat(bench.submit("null-mx", "someone@nomail.example")).startsWith("250 ");

    ReceivedMessage dsn = mx.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(bench.dsns()).containsExactly(dsn);
    assertThat(dsn.recipients()).containsExactly(SENDER);
    assertThat(dsn.text())
        .contains("Final-Recipient: rfc822; someone@nomail.example\r\n")
        .contains("Action: failed")
        .contains("Status: 5.1.10\r\n")
        .contains("550 5.1.10 Domain nomail.example accepts no mail (null MX)")
        .contains("Subject: null-mx");
    assertThat(mx.messages()).hasSize(1);
    bench.assertNothingLost();
  }

  @Test
  void recipientsOfOneMessageBouncedForDifferentDnsFaultsShareOneDsn() throws Exception {
    bench.dns.nullMx("nomail.example").nxdomain("gone.example");
    assertThat(bench.submit("two-faults", "a@nomail.example", "b@gone.example")).startsWith("250 ");

    ReceivedMessage dsn = mx.awaitMessages(1, WAIT).get(0);
    bench.awaitSpoolEmpty();
    assertThat(bench.dsns()).containsExactly(dsn);
    assertThat(dsn.text())
        .contains("Final-Recipient: rfc822; a@nomail.example\r\n")
        .contains("Status: 5.1.10\r\n")
        .contains("Final-Recipient: rfc822; b@gone.example\r\n")
        .contains("Status: 5.1.2\r\n");
    assertThat(mx.messages()).hasSize(1);
    bench.assertNothingLost();
  }
}
