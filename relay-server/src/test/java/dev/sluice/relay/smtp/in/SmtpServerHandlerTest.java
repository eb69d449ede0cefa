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

  private String written() {
    StringBuilder out = new StringBuilder();
    for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
      out.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    return out.toString();
  }
}
