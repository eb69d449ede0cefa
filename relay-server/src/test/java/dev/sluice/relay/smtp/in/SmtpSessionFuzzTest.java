package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.relay.smtp.SmtpReply;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the ingress command path: raw client bytes framed by the real {@link SmtpLineDecoder},
 * then {@link SmtpCommand#parse} and the {@link SessionState} machine behind it (EHLO, MAIL and
 * RCPT parameters, AUTH PLAIN/LOGIN, STARTTLS, DATA). The session runs on a TLS connection, so AUTH
 * is reachable; user {@code acme} with password {@code s3cret} is accepted.
 *
 * <p>Properties: nothing ever throws; every reply is a legal SMTP reply whose text holds no control
 * character (bad input is echoed through {@code PathParser.printable}); a line with bare CR or LF
 * runs no command; after {@code Close} nothing more happens; and every stored message has a sender
 * and recipients that parse again to themselves.
 */
class SmtpSessionFuzzTest {
  private static final SessionSettings SETTINGS = SessionSettings.defaults("mx.test");

  @FuzzTest(maxDuration = "5m")
  void everyLineGetsALegalReplyAndNothingThrows(byte[] input) {
    SessionState session =
        new SessionState(
            SETTINGS,
            ListenerMode.SUBMISSIONS,
            true,
            SessionPolicy.OPEN,
            "192.0.2.7",
            false,
            Optional.of("TLSv1.3"));
    EmbeddedChannel channel = new EmbeddedChannel(new SmtpLineDecoder(SETTINGS.maxLine()));
    channel.writeInbound(Unpooled.wrappedBuffer(input));
    List<SmtpLine> lines = new ArrayList<>();
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      lines.add((SmtpLine) o);
    }
    channel.finishAndReleaseAll();

    boolean closed = false;
    for (SmtpLine line : lines) {
      boolean commandLine = !session.inData() && !session.waiting();
      List<SessionEffect> effects = new ArrayList<>(session.line(line));
      if (closed) {
        assertThat(effects).as("effects after Close").isEmpty();
        continue;
      }
      if (commandLine && !line.isClean()) {
        assertThat(effects)
            .as("a badly framed line runs no command")
            .allSatisfy(
                e -> {
                  if (e instanceof SessionEffect.Reply r) {
                    assertThat(r.reply().code()).isIn(500, 421);
                  } else {
                    assertThat(e).isInstanceOf(SessionEffect.Close.class);
                  }
                });
      }
      for (int i = 0; i < effects.size(); i++) {
        SessionEffect e = effects.get(i);
        if (e instanceof SessionEffect.Reply r) {
          checkReply(r.reply());
        } else if (e instanceof SessionEffect.Close) {
          closed = true;
        } else if (e instanceof SessionEffect.StartTls) {
          session.tlsStarted("TLSv1.3");
        } else if (e instanceof SessionEffect.VerifyCredentials v) {
          boolean ok = v.username().equals("acme") && v.password().equals("s3cret");
          effects.addAll(
              session.authenticated(
                  v.username(),
                  ok
                      ? new Authenticator.Outcome.Accepted("acme-tenant")
                      : new Authenticator.Outcome.Rejected()));
        } else if (e instanceof SessionEffect.Store s) {
          checkStored(s.transaction());
          effects.addAll(session.stored(Optional.of("Q1")));
        }
      }
    }
  }

  private static void checkReply(SmtpReply reply) {
    assertThat(reply.code()).isBetween(200, 599);
    assertThat(reply.status()).matches("|[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
    if (!reply.status().isEmpty()) {
      assertThat(reply.status().charAt(0)).isEqualTo(Integer.toString(reply.code()).charAt(0));
    }
    for (String text : reply.lines()) {
      assertThat(text.chars().filter(Character::isISOControl))
          .as("control characters in reply %s", reply)
          .isEmpty();
    }
  }

  private static void checkStored(Transaction t) {
    assertThat(t.recipients()).isNotEmpty();
    boolean international = t.sender().chars().anyMatch(c -> c > 127);
    if (!t.sender().isEmpty()) {
      assertThat(PathParser.mailboxProblem(t.sender())).isNull();
    }
    for (Transaction.Recipient r : t.recipients()) {
      assertThat(PathParser.mailboxProblem(r.address())).isNull();
      international |= r.address().chars().anyMatch(c -> c > 127);
    }
    if (international) {
      assertThat(t.mailParameters())
          .as("RFC 6531: non-ASCII needs SMTPUTF8")
          .containsKey("SMTPUTF8");
    }
  }
}
