package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpServerHandlerTest {
  private static final SessionSettings SETTINGS = SessionSettings.defaults("mx.test");
  private EmbeddedChannel channel;

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void anAuthenticatorThatFailsGetsATemporaryFailureAndTheSessionGoesOn() {
    SessionState session =
        new SessionState(
            SETTINGS,
            ListenerMode.SUBMISSIONS,
            false,
            SessionPolicy.OPEN,
            "192.0.2.7",
            false,
            Optional.of("TLSv1.3 TLS_AES_128_GCM_SHA256"));
    Authenticator broken =
        (client, user, password) -> {
          throw new IllegalArgumentException("Last unit does not have enough valid bits");
        };
    channel =
        new EmbeddedChannel(
            new SmtpLineDecoder(SETTINGS.maxLine()),
            new SmtpServerHandler(
                session,
                SETTINGS,
                Optional.empty(),
                transaction -> new CompletableFuture<>(),
                broken,
                Runnable::run,
                false));
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "EHLO a.test\r\nAUTH PLAIN AGFjbWUAczNjcmV0\r\nNOOP\r\n", StandardCharsets.US_ASCII));
    channel.runPendingTasks();

    assertThat(session.waiting()).isFalse();
    assertThat(written())
        .contains("454 4.7.0 Temporary authentication failure\r\n250 2.0.0 Ok\r\n");
  }

  /**
   * A stop that finds a message in the spool's hands must not answer 421 before the spool does: the
   * client would send again a message that is then kept, and delivered twice.
   */
  @Test
  void aStopWhileTheSpoolStoresAMessageAnswersItThenSays421() {
    SessionState session =
        new SessionState(
            SETTINGS,
            ListenerMode.RELAY,
            false,
            SessionPolicy.OPEN,
            "192.0.2.7",
            true,
            Optional.empty());
    CompletableFuture<String> store = new CompletableFuture<>();
    SmtpServerHandler handler =
        new SmtpServerHandler(
            session,
            SETTINGS,
            Optional.empty(),
            transaction -> store,
            (client, user, password) -> new Authenticator.Outcome.Rejected(),
            Runnable::run,
            false);
    channel = new EmbeddedChannel(new SmtpLineDecoder(SETTINGS.maxLine()), handler);
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "HELO a.test\r\nMAIL FROM:<a@a.test>\r\nRCPT TO:<b@b.test>\r\nDATA\r\nHi\r\n.\r\n",
            StandardCharsets.US_ASCII));
    assertThat(written()).endsWith("354 End data with <CR><LF>.<CR><LF>\r\n");

    handler.shutdown(channel.pipeline().context(handler));
    channel.runPendingTasks();
    assertThat(written()).as("written while the spool stores the message").isEmpty();
    assertThat(channel.isOpen()).isTrue();

    store.complete("Q1");
    channel.runPendingTasks();
    assertThat(written())
        .isEqualTo(
            "250 2.0.0 Ok: queued as Q1\r\n421 4.3.2 Service shutting down, try again later\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  private String written() {
    StringBuilder out = new StringBuilder();
    for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
      out.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    return out.toString();
  }
}
