package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.relay.spool.SpoolEntry;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applications' view: Jakarta Mail (Angus), a client we did not write, over 587 and 465. */
class JakartaMailIngressTest {
  @TempDir static Path dir;
  static RunningSluice sluice;

  @BeforeAll
  static void start() throws Exception {
    sluice = RunningSluice.start(dir, "");
  }

  @AfterAll
  static void stop() {
    sluice.close();
  }

  private static Session session(int port, boolean implicitTls) {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", String.valueOf(port));
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "5000");
    if (implicitTls) {
      p.put("mail.smtp.ssl.enable", "true");
      p.put("mail.smtp.ssl.trust", "*");
    } else {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.trust", "*");
    }
    return Session.getInstance(p);
  }

  private static MimeMessage message(Session session, String subject) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("orders@acme.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("customer@example.net"));
    m.setSubject(subject);
    m.setText("Your order has shipped.\r\n.A line starting with a dot\r\n");
    return m;
  }

  @Test
  void submitsOver587WithStarttlsAndAuth() throws Exception {
    Session session = session(sluice.submissionPort(), false);
    Transport.send(message(session, "over 587"), RunningSluice.USER, RunningSluice.PASSWORD);
    SpoolEntry entry = queuedWithSubject("over 587");
    assertThat(entry.envelope().sender()).isEqualTo("orders@acme.example");
    assertThat(entry.envelope().recipients().get(0).address()).isEqualTo("customer@example.net");
    assertThat(entry.envelope().tenant()).isEqualTo("acme");
    assertThat(entry.envelope().authUser()).isEqualTo(RunningSluice.USER);
    assertThat(entry.envelope().tls()).startsWith("TLSv1.");
    String body = sluice.body(entry);
    assertThat(body)
        .startsWith("Received: from ")
        .contains("with ESMTPSA")
        .contains("\r\n.A line starting with a dot\r\n");
    assertThat(sluice.certificateWritten()).isTrue();
  }

  @Test
  void routingHeadersAreKeptWithTheMessageButLeaveItsBody() throws Exception {
    Session session = session(sluice.submissionPort(), false);
    MimeMessage m = message(session, "typed");
    m.setHeader("X-Message-Type", "transactional");
    m.setHeader("X-Route", "default");
    Transport.send(m, RunningSluice.USER, RunningSluice.PASSWORD);
    SpoolEntry entry = queuedWithSubject("typed");
    assertThat(entry.envelope().routingHeaders())
        .containsEntry("X-Message-Type", "transactional")
        .containsEntry("X-Route", "default");
    assertThat(sluice.body(entry)).doesNotContain("X-Message-Type").doesNotContain("X-Route");
  }

  @Test
  void submitsOver465WithImplicitTls() throws Exception {
    Session session = session(sluice.submissionsPort(), true);
    Transport.send(message(session, "over 465"), RunningSluice.USER, RunningSluice.PASSWORD);
    assertThat(queuedWithSubject("over 465").envelope().tls()).startsWith("TLSv1.");
  }

  @Test
  void wrongPasswordIsRefused() {
    Session session = session(sluice.submissionPort(), false);
    assertThatThrownBy(() -> Transport.send(message(session, "wrong"), RunningSluice.USER, "guess"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("535 5.7.8");
  }

  @Test
  void aTenantRestrictedToItsDomainsCannotSendAsAnotherDomain() throws Exception {
    Session session = session(sluice.submissionPort(), false);
    MimeMessage m = message(session, "spoof");
    m.setFrom(new InternetAddress("ceo@bank.example"));
    assertThatThrownBy(() -> Transport.send(m, RunningSluice.USER, RunningSluice.PASSWORD))
        .hasMessageContaining("553 5.7.1");
  }

  private static SpoolEntry queuedWithSubject(String subject) throws Exception {
    for (SpoolEntry e : sluice.queued()) {
      if (sluice.body(e).contains("Subject: " + subject + "\r\n")) {
        return e;
      }
    }
    throw new AssertionError("no queued message with subject " + subject);
  }
}
