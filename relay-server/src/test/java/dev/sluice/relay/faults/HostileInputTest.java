package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.server.RawSmtpClient;
import dev.sluice.relay.server.RunningSluice;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a whole running Sluice answers to hostile clients on real sockets, byte for byte: open-relay
 * tricks, password guessing, CR/LF/NUL/8-bit smuggling in commands, oversized lines and messages,
 * slow clients and connection floods. Every test also checks that the server still serves a
 * well-behaved client afterwards. docs/hostile-input.md is the table of these cases.
 */
@Tag("faults")
class HostileInputTest {
  private static final String RELAY_DENIED =
      "554 5.7.1 Relaying denied: authenticate or send from a trusted network";

  @TempDir static Path dir;
  static RunningSluice sluice;

  @BeforeAll
  static void start() throws Exception {
    sluice =
        RunningSluice.start(
            dir,
            "limits: { max_message_size: 16KB, max_recipients: 5, max_errors: 10,"
                + " command_timeout: 2s, data_timeout: 2s }\n");
  }

  @AfterAll
  static void stop() {
    sluice.close();
  }

  @AfterEach
  void stillServes() throws IOException {
    assertServes(sluice);
  }

  // --- open relay ---

  @Test
  void anUntrustedClientCannotRelayToAnyFormOfAddress() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.2", sluice.relayPort())) {
      assertThat(send(c, "MAIL FROM:<someone@example.org>")).isEqualTo("250 2.1.0 Sender ok");
      for (String trick :
          List.of(
              "<victim@example.net>",
              "<victim@mx.sluice.test>",
              "<@mx.sluice.test,@hop.example:victim@example.net>",
              "<victim%example.net@mx.sluice.test>",
              "<example.net!victim@mx.sluice.test>",
              "<\"victim@example.net\"@mx.sluice.test>",
              "<victim@[127.0.0.1]>")) {
        assertThat(send(c, "RCPT TO:" + trick)).as(trick).isEqualTo(RELAY_DENIED);
      }
      assertThat(send(c, "DATA")).isEqualTo("554 5.5.1 No valid recipients");
      assertThat(send(c, "NOOP")).as("relay refusals do not end the session").isEqualTo(ok());
    }
  }

  @Test
  void sourceRoutesAreDroppedAndOtherOddAddressesKeptLiterallyForATrustedClient()
      throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      send(c, "MAIL FROM:<app@acme.example>");
      assertThat(send(c, "RCPT TO:<@hop1.example,@hop2.example:bob@example.net>"))
          .isEqualTo("250 2.1.5 Recipient ok");
      assertThat(send(c, "RCPT TO:<bob%example.org@example.net>"))
          .isEqualTo("250 2.1.5 Recipient ok");
      assertThat(send(c, "RCPT TO:<example.org!bob@example.net>"))
          .isEqualTo("250 2.1.5 Recipient ok");
      assertThat(send(c, "RCPT TO:<\"bob@example.org\"@example.net>"))
          .isEqualTo("250 2.1.5 Recipient ok");
      SpoolEntry stored = stored(data(c, "Subject: odd\r\n\r\nhi\r\n"));
      assertThat(stored.envelope().recipients())
          .extracting(r -> r.address())
          .as("each goes to example.net's MX as written; no hop is ever taken from the address")
          .containsExactly(
              "bob@example.net",
              "bob%example.org@example.net",
              "example.org!bob@example.net",
              "\"bob@example.org\"@example.net");
    }
  }

  @Test
  void submissionRefusesMailWithoutAuthAndAuthWithoutTls() throws Exception {
    try (RawSmtpClient c = RawSmtpClient.from("127.0.0.1", sluice.submissionPort())) {
      assertThat(c.readLine()).startsWith("220 ");
      c.send("EHLO client.example\r\n");
      assertThat(c.readReply()).contains("250-STARTTLS").noneMatch(l -> l.contains("AUTH"));
      assertThat(send(c, "AUTH PLAIN " + plain(RunningSluice.USER, RunningSluice.PASSWORD)))
          .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
      assertThat(send(c, "MAIL FROM:<app@acme.example>"))
          .isEqualTo("530 5.7.0 Authentication required");
      assertThat(send(c, "RCPT TO:<victim@example.net>"))
          .isEqualTo("503 5.5.1 Need MAIL before RCPT");
    }
    try (RawSmtpClient c = tls(sluice, "127.0.0.1")) {
      c.send("EHLO client.example\r\n");
      assertThat(c.readReply()).contains("250-AUTH PLAIN LOGIN");
      assertThat(send(c, "MAIL FROM:<app@acme.example>"))
          .as("TLS alone is not enough")
          .isEqualTo("530 5.7.0 Authentication required");
    }
  }

  // --- password guessing ---

  @Test
  void passwordGuessingLocksTheAddressOutEvenForTheRightPasswordAndAcrossConnections(
      @TempDir Path own) throws Exception {
    try (RunningSluice guarded =
        RunningSluice.start(own, "auth: { max_failures: 3, window: 15m }\n")) {
      try (RawSmtpClient c = tls(guarded, "127.0.0.3")) {
        ehlo(c);
        for (int i = 0; i < 3; i++) {
          assertThat(send(c, "AUTH PLAIN " + plain(RunningSluice.USER, "guess" + i)))
              .isEqualTo("535 5.7.8 Authentication credentials invalid");
        }
        assertThat(send(c, "AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(send(c, b64(RunningSluice.USER))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(send(c, b64("guess3")))
            .isEqualTo("454 4.7.0 Too many failed authentications from your address; try later");
      }
      assertThat(loginOnce(guarded, "127.0.0.3", RunningSluice.PASSWORD))
          .as("a new connection from the same address, with the right password")
          .isEqualTo("454 4.7.0 Too many failed authentications from your address; try later");
      assertThat(loginOnce(guarded, "127.0.0.1", RunningSluice.PASSWORD))
          .as("other addresses are not locked out")
          .isEqualTo("235 2.7.0 Authentication successful");
    }
  }

  @Test
  void guessesSpreadOverTheNodesOfAClusterShareOneAllowance(@TempDir Path own) throws Exception {
    String yaml = "auth: { max_failures: 3, window: 15m }\ncluster: { redis: \"%s\", nodes: 2 }\n";
    try (RedisServer redis = RedisServer.start();
        RunningSluice a =
            RunningSluice.start(
                Files.createDirectory(own.resolve("a")), yaml.formatted(redis.uri()));
        RunningSluice b =
            RunningSluice.start(
                Files.createDirectory(own.resolve("b")), yaml.formatted(redis.uri()))) {
      for (RunningSluice node : List.of(a, b, a)) {
        assertThat(loginOnce(node, "127.0.0.3", "guess"))
            .isEqualTo("535 5.7.8 Authentication credentials invalid");
      }
      assertThat(loginOnce(b, "127.0.0.3", RunningSluice.PASSWORD))
          .as("the 4th attempt, on node b, which saw only one of the three failures")
          .isEqualTo("454 4.7.0 Too many failed authentications from your address; try later");
      assertThat(loginOnce(a, "127.0.0.1", RunningSluice.PASSWORD))
          .isEqualTo("235 2.7.0 Authentication successful");
    }
  }

  // --- CR, LF, NUL and 8-bit smuggling ---

  @Test
  void bareCrOrLfInsideACommandIsRefusedAndNothingAfterItIsInjected() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      c.send("MAIL FROM:<a@acme.example>\rX-Injected: 1\r\n");
      assertThat(c.readLine())
          .isEqualTo("500 5.5.2 Bare CR or LF in command; SMTP lines end with CRLF");
      c.send("MAIL FROM:<a@acme.example>\nRCPT TO:<victim@example.net>\r\n");
      assertThat(c.readLine())
          .isEqualTo("500 5.5.2 Bare CR or LF in command; SMTP lines end with CRLF");
      assertThat(c.readLine())
          .as("the MAIL was refused whole, so the RCPT after the bare LF has no transaction")
          .isEqualTo("503 5.5.1 Need MAIL before RCPT");
      c.send("MAIL FROM:<a@acme.example\r\nX-Injected: 1>\r\n");
      assertThat(c.readLine()).isEqualTo("501 5.1.7 Unterminated address: missing '>'");
      assertThat(c.readLine()).isEqualTo("500 5.5.2 Command not recognized");
      c.send("EHLO evil.example\rX-Injected: 1\r\n");
      assertThat(c.readLine())
          .isEqualTo("500 5.5.2 Bare CR or LF in command; SMTP lines end with CRLF");

      String id = message(c, "app@acme.example", "bob@example.net");
      String body = sluice.body(stored(id));
      assertThat(body)
          .startsWith("Received: from client.example ([127.0.0.1])\r\n")
          .contains("\r\n\tfor <bob@example.net>; ")
          .doesNotContain("X-Injected")
          .doesNotContain("evil");
    }
  }

  @Test
  void nulBytesInAddressesAreRefused() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      assertThat(send(c, "MAIL FROM:<a\0b@acme.example>"))
          .isEqualTo("501 5.5.2 Control characters are not allowed in an address");
      send(c, "MAIL FROM:<a@acme.example>");
      assertThat(send(c, "RCPT TO:<bob@example.net\0.evil.example>"))
          .isEqualTo("501 5.5.2 Control characters are not allowed in an address");
      assertThat(send(c, "EHLO nul\0.example")).isEqualTo("501 5.5.4 Syntax: EHLO hostname");
    }
  }

  @Test
  void eightBitAddressesNeedSmtputf8AndValidUtf8() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      assertThat(send(c, "MAIL FROM:<jörg@acme.example>"))
          .isEqualTo("553 5.6.7 Non-ASCII address needs SMTPUTF8");
      c.send(
          "MAIL FROM:<j\u00f6rg@acme.example> SMTPUTF8\r\n".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(c.readLine()).isEqualTo("500 5.5.2 Command holds bytes that are not UTF-8");
      send(c, "MAIL FROM:<app@acme.example>");
      assertThat(send(c, "RCPT TO:<jörg@bücher.example>"))
          .isEqualTo("553 5.6.7 Non-ASCII address needs SMTPUTF8 on MAIL FROM");
      send(c, "RSET");
      assertThat(send(c, "MAIL FROM:<jörg@acme.example> SMTPUTF8"))
          .isEqualTo("250 2.1.0 Sender ok");
      assertThat(send(c, "RCPT TO:<jörg@bücher.example>")).isEqualTo("250 2.1.5 Recipient ok");
    }
  }

  @Test
  void aClientThatKeepsSendingGarbageIsDisconnectedAfterMaxErrors() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      for (int i = 0; i < 10; i++) {
        assertThat(send(c, "GET / HTTP/1.1")).isEqualTo("500 5.5.2 Command not recognized");
      }
      c.send("GET / HTTP/1.1\r\n");
      assertThat(c.readLine()).isEqualTo("500 5.5.2 Command not recognized");
      assertThat(c.readLine()).isEqualTo("421 4.7.0 Too many errors, closing connection");
      assertThat(c.readLine()).isNull();
    }
  }

  // --- oversized ---

  @Test
  void anOverlongCommandLineIsRefusedWithoutBeingBuffered() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      assertThat(send(c, "NOOP " + "x".repeat(5000))).isEqualTo("500 5.5.2 Line too long");
      c.send("MAIL FROM:<" + "a".repeat(1 << 20));
      c.send(">\r\n");
      assertThat(c.readLine())
          .as("a megabyte with no line end")
          .isEqualTo("500 5.5.2 Line too long");
      assertThat(send(c, "MAIL FROM:<" + "a".repeat(300) + "@acme.example>"))
          .isEqualTo("501 5.1.7 Address too long");
      assertThat(send(c, "NOOP")).isEqualTo(ok());
    }
  }

  @Test
  void recipientsPastTheLimitGet452() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      send(c, "MAIL FROM:<app@acme.example>");
      for (int i = 0; i < 5; i++) {
        assertThat(send(c, "RCPT TO:<r" + i + "@example.net>")).isEqualTo("250 2.1.5 Recipient ok");
      }
      assertThat(send(c, "RCPT TO:<r5@example.net>")).isEqualTo("452 4.5.3 Too many recipients");
      assertThat(stored(data(c, "Subject: five\r\n\r\nhi\r\n")).envelope().recipients()).hasSize(5);
    }
  }

  @Test
  void messagesOverTheSizeLimitAreRefusedWhetherDeclaredOrSent() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      assertThat(send(c, "MAIL FROM:<app@acme.example> SIZE=16385"))
          .isEqualTo("552 5.3.4 Message too big: the limit is 16384 bytes");
      send(c, "MAIL FROM:<app@acme.example> SIZE=100");
      send(c, "RCPT TO:<bob@example.net>");
      assertThat(send(c, "DATA")).startsWith("354 ");
      int before = sluice.queued().size();
      c.send("Subject: big\r\n\r\n" + ("y".repeat(98) + "\r\n").repeat(200) + ".\r\n");
      assertThat(c.readLine()).isEqualTo("552 5.3.4 Message too big: the limit is 16384 bytes");
      assertThat(sluice.queued()).hasSize(before);
    }
  }

  @Test
  void anOverlongLineInTheMessageIsRefusedAtTheEndOfData() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      send(c, "MAIL FROM:<app@acme.example>");
      send(c, "RCPT TO:<bob@example.net>");
      assertThat(send(c, "DATA")).startsWith("354 ");
      int before = sluice.queued().size();
      c.send("Subject: " + "z".repeat(2000) + "\r\n\r\nhi\r\n.\r\n");
      assertThat(c.readLine()).isEqualTo("550 5.6.0 Line too long (RFC 5321 section 4.5.3.1.6)");
      assertThat(sluice.queued()).hasSize(before);
    }
  }

  @Test
  void messageTextSentInTheSameWriteAsDataHasTheSameLineLimit() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      send(c, "MAIL FROM:<app@acme.example>");
      send(c, "RCPT TO:<bob@example.net>");
      int before = sluice.queued().size();
      c.send("DATA\r\nSubject: " + "z".repeat(2000) + "\r\n\r\nhi\r\n.\r\n");
      assertThat(c.readLine()).startsWith("354 ");
      assertThat(c.readLine()).isEqualTo("550 5.6.0 Line too long (RFC 5321 section 4.5.3.1.6)");
      assertThat(sluice.queued()).hasSize(before);
    }
  }

  // --- slow clients ---

  @Test
  void anIdleClientIsClosedAtTheCommandTimeout() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      assertThat(c.readLine()).isEqualTo("421 4.4.2 Timeout, closing connection");
      assertThat(c.readLine()).isNull();
    }
  }

  @Test
  void aCommandTrickledOneByteAtATimeIsCutOffAtTheLineDeadline() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      assertThat(c.trickle("MAIL FROM:<slowloris@acme.example>\r\n", 250))
          .isEqualTo("421 4.4.2 Timeout, closing connection");
    }
  }

  @Test
  void messageTextTrickledOneByteAtATimeIsCutOffAtTheDataDeadline() throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", sluice.relayPort())) {
      send(c, "MAIL FROM:<app@acme.example>");
      send(c, "RCPT TO:<bob@example.net>");
      assertThat(send(c, "DATA")).startsWith("354 ");
      int before = sluice.queued().size();
      assertThat(c.trickle("Subject: a header that arrives very slowly\r\n", 250))
          .isEqualTo("421 4.4.2 Timeout, closing connection");
      assertThat(sluice.queued()).hasSize(before);
    }
  }

  @Test
  void aDataTimeoutShorterThanTheCommandTimeoutIsKept(@TempDir Path own) throws Exception {
    assertCutOffAtTheDataTimeoutAfter("Subject: and then nothing\r\n", own);
  }

  @Test
  void aClientSilentRightAfter354IsCutOffAtTheDataTimeout(@TempDir Path own) throws Exception {
    assertCutOffAtTheDataTimeoutAfter("", own);
  }

  /**
   * With a 1 s data timeout and a 60 s command timeout, {@code text} after 354 and then nothing.
   */
  private static void assertCutOffAtTheDataTimeoutAfter(String text, Path own) throws Exception {
    try (RunningSluice quick =
            RunningSluice.start(own, "limits: { command_timeout: 60s, data_timeout: 1s }\n");
        RawSmtpClient c = greeted("127.0.0.1", quick.relayPort())) {
      send(c, "MAIL FROM:<app@acme.example>");
      send(c, "RCPT TO:<bob@example.net>");
      assertThat(send(c, "DATA")).startsWith("354 ");
      if (!text.isEmpty()) {
        c.send(text);
      }
      // RawSmtpClient gives up after 10 s: far sooner than the 60 s command timeout.
      assertThat(c.readLine()).isEqualTo("421 4.4.2 Timeout, closing connection");
    }
  }

  // --- connection floods ---

  @Test
  void aFloodFromOneAddressIsCappedWhileOtherAddressesAreServed(@TempDir Path own)
      throws Exception {
    try (RunningSluice capped =
        RunningSluice.start(own, "limits: { max_connections_per_ip: 3 }\n")) {
      List<RawSmtpClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          open.add(connected("127.0.0.1", capped.relayPort()));
        }
        try (RawSmtpClient fourth = RawSmtpClient.from("127.0.0.1", capped.submissionPort())) {
          assertThat(fourth.readLine())
              .as("the cap counts every listener together")
              .isEqualTo("421 4.7.0 Too many connections from your address");
          assertThat(fourth.readLine()).isNull();
        }
        // On the implicit-TLS port a plaintext 421 would only break the client's handshake:
        // the connection is closed without a byte.
        try (RawSmtpClient tls = RawSmtpClient.from("127.0.0.1", capped.submissionsPort())) {
          assertThat(tls.readLine()).isNull();
        }
        open.add(connected("127.0.0.2", capped.relayPort()));
      } finally {
        closeAll(open);
      }
      Await.until("the flood's connections are counted out", () -> servesNow(capped));
      assertServes(capped);
    }
  }

  @Test
  void connectionsPastTheTotalCapAreRefusedWhateverTheirAddress(@TempDir Path own)
      throws Exception {
    try (RunningSluice capped = RunningSluice.start(own, "limits: { max_connections: 3 }\n")) {
      List<RawSmtpClient> open = new ArrayList<>();
      try {
        open.add(connected("127.0.0.1", capped.relayPort()));
        open.add(connected("127.0.0.2", capped.relayPort()));
        open.add(connected("127.0.0.4", capped.submissionPort()));
        try (RawSmtpClient fourth = RawSmtpClient.from("127.0.0.5", capped.relayPort())) {
          assertThat(fourth.readLine())
              .isEqualTo("421 4.7.0 Too many connections, try again later");
          assertThat(fourth.readLine()).isNull();
        }
      } finally {
        closeAll(open);
      }
      Await.until("the flood's connections are counted out", () -> servesNow(capped));
      assertServes(capped);
    }
  }

  @Test
  void anAddressThatConnectsTooFastIsRefusedWhileTrustedNetworksAreNot(@TempDir Path own)
      throws Exception {
    try (RunningSluice limited =
        RunningSluice.start(own, "limits: { max_connection_rate_per_ip: 3/hour }\n")) {
      for (int i = 0; i < 3; i++) {
        connected("127.0.0.3", limited.relayPort()).close(); // connect and hang up: a flood
      }
      try (RawSmtpClient fourth = RawSmtpClient.from("127.0.0.3", limited.submissionPort())) {
        assertThat(fourth.readLine())
            .as("the rate counts every listener together")
            .isEqualTo("421 4.7.0 Too many connections from your address lately, try again later");
        assertThat(fourth.readLine()).isNull();
      }
      connected("127.0.0.2", limited.relayPort()).close();
      for (int i = 0; i < 5; i++) {
        connected("127.0.0.1", limited.relayPort()).close(); // trusted_networks: not limited
      }
      assertServes(limited);
    }
  }

  // --- helpers ---

  private static RawSmtpClient connected(String from, int port) throws IOException {
    RawSmtpClient c = RawSmtpClient.from(from, port);
    assertThat(c.readLine()).startsWith("220 mx.sluice.test ESMTP");
    return c;
  }

  private static RawSmtpClient greeted(String from, int port) throws IOException {
    RawSmtpClient c = connected(from, port);
    ehlo(c);
    return c;
  }

  private static void ehlo(RawSmtpClient c) throws IOException {
    c.send("EHLO client.example\r\n");
    assertThat(c.readReply()).last().asString().startsWith("250 ");
  }

  private static void closeAll(List<RawSmtpClient> clients) throws IOException {
    for (RawSmtpClient c : clients) {
      c.close();
    }
  }

  /** AUTH PLAIN as the tenant's user, on a new connection from {@code from}: the reply. */
  private static String loginOnce(RunningSluice s, String from, String password) throws Exception {
    try (RawSmtpClient c = tls(s, from)) {
      ehlo(c);
      return send(c, "AUTH PLAIN " + plain(RunningSluice.USER, password));
    }
  }

  private static RawSmtpClient tls(RunningSluice s, String from) throws Exception {
    RawSmtpClient c = RawSmtpClient.overTls(from, s.submissionsPort(), s.certificate());
    assertThat(c.readLine()).startsWith("220 ");
    return c;
  }

  private static String send(RawSmtpClient c, String command) throws IOException {
    c.send(command + "\r\n");
    return c.readLine();
  }

  /** Sends the message text after DATA and returns the queue id from the 250. */
  private static String data(RawSmtpClient c, String text) throws IOException {
    assertThat(send(c, "DATA")).startsWith("354 ");
    c.send(text + ".\r\n");
    String reply = c.readLine();
    assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
    return reply.substring("250 2.0.0 Ok: queued as ".length());
  }

  private static String message(RawSmtpClient c, String from, String to) throws IOException {
    assertThat(send(c, "MAIL FROM:<" + from + ">")).isEqualTo("250 2.1.0 Sender ok");
    assertThat(send(c, "RCPT TO:<" + to + ">")).isEqualTo("250 2.1.5 Recipient ok");
    return data(c, "Subject: still here\r\n\r\nhello\r\n");
  }

  private static SpoolEntry stored(String id) {
    return sluice.queued().stream()
        .filter(e -> e.id().toString().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("message " + id + " is not in the spool"));
  }

  /** A trusted client on a new connection gets a message accepted. */
  private static void assertServes(RunningSluice s) throws IOException {
    try (RawSmtpClient c = greeted("127.0.0.1", s.relayPort())) {
      message(c, "app@acme.example", "bob@example.net");
    }
  }

  private static boolean servesNow(RunningSluice s) {
    try (RawSmtpClient c = RawSmtpClient.from("127.0.0.1", s.relayPort())) {
      return c.readLine().startsWith("220 ");
    } catch (IOException e) {
      return false;
    }
  }

  private static String ok() {
    return "250 2.0.0 Ok";
  }

  private static String plain(String user, String password) {
    return b64("\0" + user + "\0" + password);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
