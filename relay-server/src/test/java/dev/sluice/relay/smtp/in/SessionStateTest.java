package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.smtp.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionStateTest {
  private static final String ENVELOPE =
      "EHLO client.test\r\nMAIL FROM:<app@example.com>\r\nRCPT TO:<bob@example.net>\r\n";

  @Test
  void acceptsAMessageWithPipelinedCommands() {
    SessionDriver s = SessionDriver.relay(true);
    assertThat(s.greet()).isEqualTo("220 mx.test ESMTP Sluice\r\n");
    String replies = s.send(ENVELOPE + "DATA\r\n");
    assertThat(replies)
        .contains(
            "250-mx.test Hello client.test [192.0.2.7]\r\n",
            "250-PIPELINING\r\n",
            "250-SIZE 52428800\r\n",
            "250-STARTTLS\r\n",
            "250 HELP\r\n",
            "250 2.1.0 Sender ok\r\n",
            "250 2.1.5 Recipient ok\r\n",
            "354 End data")
        .doesNotContain("AUTH");
    assertThat(s.send("Subject: hi\r\n\r\n..leading dot\r\n.\r\n"))
        .isEqualTo("250 2.0.0 Ok: queued as Q1\r\n");
    Transaction t = s.stored.get(0);
    assertThat(t.sender()).isEqualTo("app@example.com");
    assertThat(t.recipients())
        .extracting(Transaction.Recipient::address)
        .containsExactly("bob@example.net");
    assertThat(new String(t.body(), StandardCharsets.UTF_8))
        .isEqualTo("Subject: hi\r\n\r\n.leading dot\r\n");
    assertThat(s.send("QUIT\r\n")).isEqualTo("221 2.0.0 Bye\r\n");
    assertThat(s.closed).isTrue();
  }

  @Test
  void untrustedClientWithoutAuthCannotRelay() {
    SessionDriver s = SessionDriver.relay(false);
    assertThat(s.send(ENVELOPE))
        .endsWith("554 5.7.1 Relaying denied: authenticate or send from a trusted network\r\n");
    assertThat(s.send("DATA\r\n")).isEqualTo("554 5.5.1 No valid recipients\r\n");
  }

  @Test
  void commandsBeforeHelloAreRefused() {
    SessionDriver s = SessionDriver.relay(true);
    assertThat(s.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"))
        .isEqualTo(
            "503 5.5.1 Send EHLO or HELO first\r\n503 5.5.1 Need MAIL before RCPT\r\n503 5.5.1 Need MAIL and RCPT before DATA\r\n");
  }

  @Test
  void bareLfDotBareLfNeverEndsData() {
    SessionDriver s = SessionDriver.relay(true);
    s.send(ENVELOPE + "DATA\r\n");
    String smuggled =
        "Subject: x\r\n\r\nbody\n.\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n";
    assertThat(s.send(smuggled)).as("nothing ends DATA early, nothing runs as a command").isEmpty();
    assertThat(s.send(".\r\n"))
        .isEqualTo("550 5.6.11 Bare CR or LF in message; lines must end with CRLF\r\n");
    assertThat(s.stored).isEmpty();
  }

  @Test
  void otherSmugglingVariantsNeverEndDataEarly() {
    for (String fakeEnd : new String[] {"\n.\r\n", "\r.\r", "\r\r\n.\r\r\n", "\r\n.\n", "\n.\n"}) {
      SessionDriver s = SessionDriver.relay(true);
      s.send(ENVELOPE + "DATA\r\n");
      assertThat(s.send("Subject: x\r\n\r\nbody" + fakeEnd + "MAIL FROM:<evil@example.com>\r\n"))
          .as("fake end %s", fakeEnd.replace("\r", "<CR>").replace("\n", "<LF>"))
          .isEmpty();
      assertThat(s.send("\r\n.\r\n")).startsWith("550 5.6.11");
      assertThat(s.stored).isEmpty();
      assertThat(s.send("RSET\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
    }
  }

  @Test
  void bareLfInACommandIsRefusedNotExecuted() {
    SessionDriver s = SessionDriver.relay(true);
    assertThat(s.send("EHLO a.test\nMAIL FROM:<a@b.example>\r\n"))
        .isEqualTo(
            "500 5.5.2 Bare CR or LF in command; SMTP lines end with CRLF\r\n503 5.5.1 Send EHLO or HELO first\r\n");
  }

  @Test
  void plaintextPipelinedAfterStarttlsIsDiscarded() {
    SessionDriver s = SessionDriver.relay(true);
    s.send("EHLO a.test\r\n");
    assertThat(s.send("STARTTLS\r\nMAIL FROM:<inject@example.com>\r\n"))
        .isEqualTo("220 2.0.0 Ready to start TLS\r\n");
    assertThat(s.tlsRequested).isTrue();
    s.session.tlsStarted("TLSv1.3 TLS_AES_128_GCM_SHA256");
    assertThat(s.send("RCPT TO:<x@example.com>\r\n"))
        .as("the injected MAIL left no state")
        .startsWith("503 5.5.1 Need MAIL");
    assertThat(s.send("EHLO a.test\r\n"))
        .contains("250-AUTH PLAIN LOGIN")
        .doesNotContain("STARTTLS");
  }

  @Test
  void authIsRefusedBeforeTls() {
    SessionState state =
        new SessionState(
            SessionSettings.defaults("mx.test"),
            ListenerMode.SUBMISSION,
            true,
            SessionPolicy.OPEN,
            "192.0.2.7",
            false,
            Optional.empty());
    SessionDriver s = SessionDriver.of(state, SessionSettings.defaults("mx.test"));
    assertThat(s.send("EHLO a.test\r\n")).doesNotContain("AUTH");
    assertThat(s.send("AUTH PLAIN AGFjbWUAczNjcmV0\r\n"))
        .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism\r\n");
    assertThat(s.credentials).isEmpty();
    assertThat(s.send("MAIL FROM:<a@acme.example>\r\n"))
        .isEqualTo("530 5.7.0 Authentication required\r\n");
  }

  @Test
  void authPlainAndLoginAfterTlsIdentifyTheTenant() {
    SessionDriver s = submissionOverTls();
    assertThat(s.send("AUTH PLAIN AGFjbWUAczNjcmV0\r\n"))
        .isEqualTo("235 2.7.0 Authentication successful\r\n");
    assertThat(s.session.client().tenant()).contains("acme-tenant");
    assertThat(s.send("MAIL FROM:<a@acme.example>\r\nRCPT TO:<b@example.net>\r\n"))
        .endsWith("250 2.1.5 Recipient ok\r\n");

    SessionDriver login = submissionOverTls();
    assertThat(login.send("AUTH LOGIN\r\n")).isEqualTo("334 VXNlcm5hbWU6\r\n");
    assertThat(login.send("YWNtZQ==\r\n")).isEqualTo("334 UGFzc3dvcmQ6\r\n");
    assertThat(login.send("czNjcmV0\r\n")).isEqualTo("235 2.7.0 Authentication successful\r\n");

    SessionDriver wrong = submissionOverTls();
    assertThat(wrong.send("AUTH PLAIN AGFjbWUAd3Jvbmc=\r\n"))
        .isEqualTo("535 5.7.8 Authentication credentials invalid\r\n");
    assertThat(wrong.send("AUTH PLAIN\r\n")).isEqualTo("334 \r\n");
    assertThat(wrong.send("*\r\n")).isEqualTo("501 5.0.0 Authentication cancelled\r\n");
    assertThat(wrong.send("AUTH CRAM-MD5\r\n")).startsWith("504 5.5.4");
    assertThat(wrong.send("AUTH PLAIN !!!\r\n")).startsWith("501 5.5.2");
    assertThat(wrong.send("AUTH\r\n")).startsWith("501 5.5.4 Syntax: AUTH mechanism");
  }

  @Test
  void anAnswerThatArrivesAfterShutdownSaysNothingMore() {
    SessionDriver s = submissionOverTls();
    assertThat(s.session.line(SmtpLine.of("AUTH PLAIN AGFjbWUAczNjcmV0")))
        .hasOnlyElementsOfType(SessionEffect.VerifyCredentials.class);
    assertThat(s.render(s.session.shutdown())).startsWith("421 ");
    assertThat(s.closed).isTrue();
    assertThat(s.session.authenticated("acme", new Authenticator.Outcome.Rejected())).isEmpty();
    assertThat(s.session.line(SmtpLine.of("NOOP"))).isEmpty();
  }

  @Test
  void aStopWhileTheSpoolStoresAMessageAnswersTheMessageBeforeThe421() {
    SessionDriver s = SessionDriver.relay(true);
    s.send(ENVELOPE);
    s.session.line(SmtpLine.of("DATA"));
    s.session.line(SmtpLine.of("x"));
    assertThat(s.session.line(SmtpLine.of("."))).hasOnlyElementsOfType(SessionEffect.Store.class);

    assertThat(s.session.shutdown()).as("nothing before the spool answers").isEmpty();

    assertThat(s.render(s.session.stored(Optional.of("Q1"))))
        .isEqualTo("250 2.0.0 Ok: queued as Q1\r\n" + SmtpReply.SHUTTING_DOWN.wire());
    assertThat(s.closed).isTrue();
    assertThat(s.session.line(SmtpLine.of("NOOP"))).isEmpty();
  }

  @Test
  void anOverlongAuthResponseEndsTheExchangeWith556() {
    SessionDriver s = submissionOverTls();
    assertThat(s.send("AUTH LOGIN\r\n")).isEqualTo("334 VXNlcm5hbWU6\r\n");
    assertThat(s.send("A".repeat(5000) + "\r\n"))
        .isEqualTo("500 5.5.6 Authentication exchange line is too long\r\n");
    assertThat(s.send("NOOP\r\n"))
        .as("the next line is a command again, not an AUTH response")
        .isEqualTo("250 2.0.0 Ok\r\n");
    assertThat(s.send("AUTH PLAIN\r\n")).isEqualTo("334 \r\n");
    assertThat(s.send("AGFjbWUAczNjcmV0\rNOOP\r\n")).startsWith("500 5.5.2 Bare CR");
    assertThat(s.send("NOOP\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
    assertThat(s.credentials).isEmpty();
  }

  private static SessionDriver submissionOverTls() {
    SessionState state =
        new SessionState(
            SessionSettings.defaults("mx.test"),
            ListenerMode.SUBMISSIONS,
            false,
            SessionPolicy.OPEN,
            "192.0.2.7",
            false,
            Optional.of("TLSv1.3"));
    SessionDriver s = SessionDriver.of(state, SessionSettings.defaults("mx.test"));
    assertThat(s.send("EHLO a.test\r\n")).contains("250-AUTH PLAIN LOGIN");
    return s;
  }

  @Test
  void sizeAndRecipientLimitsAreEnforced() {
    SessionSettings small =
        new SessionSettings(
            "mx.test",
            100,
            2,
            10,
            4096,
            998,
            java.time.Duration.ofMinutes(5),
            java.time.Duration.ofMinutes(3));
    SessionDriver s =
        SessionDriver.of(
            new SessionState(
                small,
                ListenerMode.RELAY,
                false,
                SessionPolicy.OPEN,
                "192.0.2.7",
                true,
                Optional.empty()),
            small);
    s.send("EHLO a.test\r\n");
    assertThat(s.send("MAIL FROM:<a@b.example> SIZE=101\r\n"))
        .isEqualTo("552 5.3.4 Message too big: the limit is 100 bytes\r\n");
    // Found by SmtpSessionFuzzTest: 19 digits past Long.MAX_VALUE threw out of the session.
    assertThat(s.send("MAIL FROM:<a@b.example> SIZE=9999999999999999999\r\n"))
        .isEqualTo("552 5.3.4 Message too big: the limit is 100 bytes\r\n");
    s.send("MAIL FROM:<a@b.example>\r\n");
    assertThat(
            s.send("RCPT TO:<1@x.example>\r\nRCPT TO:<2@x.example>\r\nRCPT TO:<3@x.example>\r\n"))
        .endsWith("452 4.5.3 Too many recipients\r\n");
    s.send("DATA\r\n");
    assertThat(s.send("x".repeat(90) + "\r\n" + "y".repeat(20) + "\r\n.\r\n"))
        .isEqualTo("552 5.3.4 Message too big: the limit is 100 bytes\r\n");
  }

  @Test
  void longLinesAreRefusedWithoutDroppingTheSession() {
    SessionDriver s = SessionDriver.relay(true);
    assertThat(s.send("NOOP " + "x".repeat(5000) + "\r\n"))
        .isEqualTo("500 5.5.2 Line too long\r\n");
    s.send(ENVELOPE + "DATA\r\n");
    assertThat(s.send("z".repeat(1200) + "\r\n.\r\n"))
        .isEqualTo("550 5.6.0 Line too long (RFC 5321 section 4.5.3.1.6)\r\n");
    assertThat(s.send("NOOP\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
  }

  @Test
  void syntaxErrorsAreAnsweredAndTooManyCloseTheSession() {
    SessionDriver s = SessionDriver.relay(true);
    assertThat(s.send("EHLO\r\n")).isEqualTo("501 5.5.4 Syntax: EHLO hostname\r\n");
    assertThat(s.send("FROB\r\n")).isEqualTo("500 5.5.2 Command not recognized\r\n");
    assertThat(s.send("VRFY bob\r\n")).startsWith("252 2.5.0");
    for (int i = 0; i < 8; i++) {
      s.send("FROB\r\n");
    }
    assertThat(s.closed).isFalse();
    assertThat(s.send("FROB\r\n")).endsWith("421 4.7.0 Too many errors, closing connection\r\n");
    assertThat(s.closed).isTrue();
  }

  @Test
  void addressesAndParametersAreChecked() {
    SessionDriver s = SessionDriver.relay(true);
    s.send("EHLO a.test\r\n");
    assertThat(s.send("MAIL FROM:a@b.example\r\n"))
        .startsWith("501 5.1.7 The address must be in angle brackets");
    assertThat(s.send("MAIL FROM:<a@b.example> FOO=1\r\n"))
        .isEqualTo("555 5.5.4 Unsupported MAIL parameter FOO\r\n");
    assertThat(s.send("MAIL FROM:<jöe@b.example>\r\n"))
        .isEqualTo("553 5.6.7 Non-ASCII address needs SMTPUTF8\r\n");
    assertThat(s.send("MAIL FROM:<jöe@bücher.example> SMTPUTF8 RET=HDRS ENVID=abc+2B1\r\n"))
        .isEqualTo("250 2.1.0 Sender ok\r\n");
    assertThat(
            s.send(
                "RCPT TO:<bob@example.net> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob@example.net\r\n"))
        .isEqualTo("250 2.1.5 Recipient ok\r\n");
    assertThat(s.send("RCPT TO:<bob@example.net> NOTIFY=SOMETIMES\r\n"))
        .startsWith("501 5.5.4 NOTIFY");
    // Found by SmtpSessionFuzzTest: a repeated keyword threw out of the session (Set.of).
    assertThat(s.send("RCPT TO:<bob@example.net> NOTIFY=success,SUCCESS\r\n"))
        .startsWith("501 5.5.4 NOTIFY");
    assertThat(s.send("RCPT TO:<>\r\n")).startsWith("501 5.1.3");
    assertThat(s.send("RCPT TO:<a@@b>\r\n")).startsWith("501 5.1.3 Bad local part");
    assertThat(s.send("RCPT TO:<\"quoted user\"@[192.0.2.1]>\r\n"))
        .isEqualTo("250 2.1.5 Recipient ok\r\n");
    // Found by PathParserFuzzTest: a C1 control (here NEL) passed inside quotes, though delivery
    // refuses to write any control character into its RCPT line.
    assertThat(s.send("RCPT TO:<\"a\u0085b\"@example.net>\r\n"))
        .isEqualTo("501 5.1.3 Bad local part: \"a?b\"\r\n"); // echoed without the control
    assertThat(s.send("RCPT TO:<\"a\\\u0085b\"@example.net>\r\n"))
        .startsWith("501 5.1.3 Bad local part");
    s.send("DATA\r\nx\r\n.\r\n");
    Transaction t = s.stored.get(0);
    assertThat(t.mailParameters()).containsEntry("RET", "HDRS").containsEntry("ENVID", "abc+2B1");
    assertThat(t.recipients().get(0).parameters()).containsEntry("NOTIFY", "SUCCESS,DELAY");
  }

  @Test
  void nonAsciiRecipientsNeedAnSmtputf8Transaction() {
    SessionDriver s = SessionDriver.relay(true);
    s.send("EHLO a.test\r\nMAIL FROM:<a@b.example>\r\n");
    assertThat(s.send("RCPT TO:<jöe@bücher.example>\r\n"))
        .isEqualTo("553 5.6.7 Non-ASCII address needs SMTPUTF8 on MAIL FROM\r\n");
    s.send("RSET\r\nMAIL FROM:<a@b.example> SMTPUTF8\r\n");
    assertThat(s.send("RCPT TO:<jöe@bücher.example>\r\n")).isEqualTo("250 2.1.5 Recipient ok\r\n");
    // U-labels with combining marks (Devanagari vowel signs), as in डाटामेल.भारत
    assertThat(
            s.send(
                "RCPT TO:<info@\u0921\u093e\u091f\u093e\u092e\u0947\u0932.\u092d\u093e\u0930\u0924>\r\n"))
        .isEqualTo("250 2.1.5 Recipient ok\r\n");
    assertThat(s.send("RCPT TO:<info@snow\u2603.example>\r\n")).startsWith("501 5.1.3 Bad domain");
  }

  @Test
  void commandBytesThatAreNotUtf8AreASyntaxError() {
    SessionDriver s = SessionDriver.relay(true);
    s.send("EHLO a.test\r\n");
    byte[] latin1 = "MAIL FROM:<j\u00f6e@b.example> SMTPUTF8".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(s.render(s.session.line(new SmtpLine(latin1, false, false, false))))
        .isEqualTo("500 5.5.2 Command holds bytes that are not UTF-8\r\n");
    assertThat(s.send("MAIL FROM:<a@b.example>\r\n")).isEqualTo("250 2.1.0 Sender ok\r\n");
  }

  @Test
  void addressLiteralsHoldNothingButTheAddress() {
    SessionDriver s = SessionDriver.relay(true);
    s.send("EHLO a.test\r\nMAIL FROM:<a@b.example>\r\n");
    // Found by PathParserFuzzTest: the literal was stripped before parsing, so a control
    // character (here GS) or a space inside the brackets was accepted; so were Arabic digits.
    for (String literal : new String[] {"[192.0.2.1\u001d]", "[ 192.0.2.1]", "[١٩٢.0.2.1]"}) {
      assertThat(s.send("RCPT TO:<a@" + literal + ">\r\n")).startsWith("501 5.1.3 Bad domain");
    }
    assertThat(s.send("RCPT TO:<a@[192.0.2.1]>\r\n")).isEqualTo("250 2.1.5 Recipient ok\r\n");
  }

  @Test
  void nullSenderIsAccepted() {
    SessionDriver s = SessionDriver.relay(true);
    s.send("EHLO a.test\r\n");
    assertThat(s.send("MAIL FROM:<>\r\n")).isEqualTo("250 2.1.0 Sender ok\r\n");
  }

  @Test
  void storageTroubleIsA452AtMail() {
    SessionPolicy full = new FixedPolicy(true, false);
    SessionSettings settings = SessionSettings.defaults("mx.test");
    SessionDriver s =
        SessionDriver.of(
            new SessionState(
                settings, ListenerMode.RELAY, false, full, "192.0.2.7", true, Optional.empty()),
            settings);
    s.send("EHLO a.test\r\n");
    assertThat(s.send("MAIL FROM:<a@b.example>\r\n"))
        .isEqualTo("452 4.3.1 Insufficient system storage, try again later\r\n");
  }

  @Test
  void newSessionsGet421WhileTheSpoolCannotWrite() {
    SessionPolicy broken = new FixedPolicy(false, false);
    SessionSettings settings = SessionSettings.defaults("mx.test");
    SessionDriver s =
        SessionDriver.of(
            new SessionState(
                settings, ListenerMode.RELAY, false, broken, "192.0.2.7", true, Optional.empty()),
            settings);
    assertThat(s.greet()).isEqualTo("421 4.3.2 Mail storage unavailable, try again later\r\n");
    assertThat(s.closed).isTrue();
    assertThat(s.send("EHLO a.test\r\n")).isEmpty();
  }
}
