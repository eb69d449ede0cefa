package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol edge cases driven by swaks, a client we did not write. With {@code --no-data-fixup}
 * swaks sends the data exactly as given, the final {@code CRLF . CRLF} included.
 */
class SwaksIngressTest {
  @TempDir static Path dir;
  static RunningSluice sluice;

  @BeforeAll
  static void start() throws Exception {
    sluice = RunningSluice.start(dir, "limits: { max_message_size: 16KB, max_recipients: 3 }\n");
  }

  @AfterAll
  static void stop() {
    sluice.close();
  }

  private static String relay() {
    return "127.0.0.1:" + sluice.relayPort();
  }

  @Test
  void acceptsAPipelinedMessageFromATrustedNetwork() throws Exception {
    Swaks s =
        Swaks.run(
            "--server",
            relay(),
            "--pipeline",
            "--from",
            "app@acme.example",
            "--to",
            "bob@example.net");
    assertThat(s.exitCode()).as(s.transcript()).isZero();
    assertThat(s.replies()).anyMatch(r -> r.startsWith("250 2.0.0 Ok: queued as "));
    assertThat(sluice.server.latency().snapshot().getTotalCount()).isPositive();
    assertThat(sluice.server.latency().summary()).contains("DATA-end→250 p50");
  }

  @Test
  void refusesToRelayForAnUntrustedClient() throws Exception {
    Swaks s =
        Swaks.run(
            "--server",
            relay(),
            "--local-interface",
            "127.0.0.2",
            "--from",
            "a@example.org",
            "--to",
            "victim@example.net");
    assertThat(s.replies())
        .contains("554 5.7.1 Relaying denied: authenticate or send from a trusted network");
  }

  @Test
  void submissionWantsAuthAndOffersItOnlyAfterStarttls() throws Exception {
    Swaks plain =
        Swaks.run(
            "--server",
            "127.0.0.1:" + sluice.submissionPort(),
            "--from",
            "a@acme.example",
            "--to",
            "b@example.net");
    assertThat(plain.replies())
        .contains("250-STARTTLS")
        .noneMatch(r -> r.contains("AUTH"))
        .contains("530 5.7.0 Authentication required");
    Swaks tls =
        Swaks.run(
            "--server", "127.0.0.1:" + sluice.submissionPort(), "--tls", "--quit-after", "EHLO");
    assertThat(tls.replies()).contains("250-AUTH PLAIN LOGIN");
  }

  @Test
  void authenticatesWithLoginOverStarttls() throws Exception {
    Swaks s =
        Swaks.run(
            "--server",
            "127.0.0.1:" + sluice.submissionPort(),
            "--tls",
            "--auth",
            "LOGIN",
            "--auth-user",
            RunningSluice.USER,
            "--auth-password",
            RunningSluice.PASSWORD,
            "--from",
            "news@acme.example",
            "--to",
            "reader@example.net");
    assertThat(s.replies())
        .contains("235 2.7.0 Authentication successful")
        .anyMatch(r -> r.startsWith("250 2.0.0 Ok: queued as "));
  }

  @Test
  void bareLfInDataIsRefused() throws Exception {
    Swaks s =
        Swaks.run(
            "--server",
            relay(),
            "--from",
            "a@acme.example",
            "--to",
            "b@example.net",
            "--no-data-fixup",
            "--data",
            "Subject: bare\n\nline one\nline two\r\n.\r\n");
    assertThat(s.replies())
        .contains("550 5.6.11 Bare CR or LF in message; lines must end with CRLF");
  }

  @Test
  void lfDotLfSmugglingNeverEndsDataOrRunsTheSmuggledCommands() throws Exception {
    int before = sluice.queued().size();
    String smuggled =
        "Subject: outer\r\n\r\nhello\n.\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nSubject: smuggled\r\n\r\nwire money\r\n.\r\n";
    Swaks s =
        Swaks.run(
            "--server",
            relay(),
            "--from",
            "a@acme.example",
            "--to",
            "b@example.net",
            "--no-data-fixup",
            "--data",
            smuggled);
    assertThat(s.replies())
        .contains("550 5.6.11 Bare CR or LF in message; lines must end with CRLF")
        .noneMatch(r -> r.startsWith("250 2.0.0 Ok: queued"))
        .filteredOn(r -> r.startsWith("250 2.1.0"))
        .as("only the real MAIL FROM was answered")
        .hasSize(1);
    assertThat(sluice.queued()).hasSize(before);
  }

  @Test
  void oversizedMessagesAreRefused() throws Exception {
    Swaks s =
        Swaks.run(
            "--server",
            relay(),
            "--from",
            "a@acme.example",
            "--to",
            "b@example.net",
            "--body",
            "x".repeat(70).concat("\n").repeat(300));
    assertThat(s.replies()).contains("552 5.3.4 Message too big: the limit is 16384 bytes");
  }

  @Test
  void tooManyRecipientsAreDeferred() throws Exception {
    Swaks s =
        Swaks.run(
            "--server",
            relay(),
            "--from",
            "a@acme.example",
            "--to",
            "1@example.net,2@example.net,3@example.net,4@example.net");
    assertThat(s.replies()).contains("452 4.5.3 Too many recipients");
  }
}
