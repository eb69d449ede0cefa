package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.routing.config.TlsMode;
import dev.sluice.routing.outcome.Stage;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLSession;

/**
 * The steps between TCP connect and the first MAIL (RFC 5321 §3.1, §4.1.1.1; RFC 3207; RFC 4954):
 * greeting, EHLO or HELO, STARTTLS and EHLO again, AUTH. Each failure closes the channel and fails
 * the connect with the stage it happened in. Runs on the event loop.
 */
final class SessionOpener {
  private final Channel channel;
  private final ClientHandler handler;
  private final OutboundRoute route;
  private final ClientTimeouts timeouts;
  private final ClientTls tls;
  private final CompletableFuture<SmtpConnection> result;
  private SslHandler sslHandler;

  private SessionOpener(
      Channel channel,
      ClientHandler handler,
      OutboundRoute route,
      ClientTimeouts timeouts,
      ClientTls tls,
      CompletableFuture<SmtpConnection> result) {
    this.channel = channel;
    this.handler = handler;
    this.route = route;
    this.timeouts = timeouts;
    this.tls = tls;
    this.result = result;
  }

  static void open(
      Channel channel,
      ClientHandler handler,
      OutboundRoute route,
      ClientTimeouts timeouts,
      ClientTls tls,
      CompletableFuture<SmtpConnection> result) {
    new SessionOpener(channel, handler, route, timeouts, tls, result).start();
  }

  /** Thrown inside the chain to end it with a failure already built. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop(OutboundException failure) {
      super(failure);
    }
  }

  private void start() {
    CompletableFuture<SmtpReply> greeting = handler.greeting();
    CompletableFuture<Void> secured = CompletableFuture.completedFuture(null);
    if (route.tls() == TlsMode.IMPLICIT) {
      sslHandler = channel.pipeline().get(SslHandler.class);
      secured = handshake();
    }
    secured
        .thenCompose(v -> greeting)
        .thenCompose(
            reply -> {
              if (reply.code() != 220) {
                throw stop(Stage.GREETING, reply, "greeting " + reply);
              }
              return ehlo();
            })
        .thenCompose(this::secure)
        .thenCompose(this::authenticate)
        .whenComplete(
            (caps, failure) -> {
              if (failure != null) {
                fail(failure);
              } else {
                result.complete(
                    new SmtpConnection(channel, handler, route, timeouts, caps, tlsDescription()));
              }
            });
  }

  private CompletableFuture<EhloCapabilities> ehlo() {
    return handler
        .command("EHLO " + route.ehloName(), Stage.EHLO, timeouts.command())
        .thenCompose(
            reply -> {
              if (reply.code() == 250) {
                return CompletableFuture.completedFuture(EhloCapabilities.parse(reply.lines()));
              }
              if (reply.code() >= 500 && reply.code() != 554) {
                // RFC 5321 §4.1.4: a server that does not know EHLO still knows HELO.
                return handler
                    .command("HELO " + route.ehloName(), Stage.EHLO, timeouts.command())
                    .thenApply(
                        helo -> {
                          if (helo.code() != 250) {
                            throw stop(Stage.EHLO, helo, "HELO answered " + helo);
                          }
                          return EhloCapabilities.NONE;
                        });
              }
              throw stop(Stage.EHLO, reply, "EHLO answered " + reply);
            });
  }

  private CompletableFuture<EhloCapabilities> secure(EhloCapabilities caps) {
    switch (route.tls()) {
      case NONE, IMPLICIT -> {
        return CompletableFuture.completedFuture(caps);
      }
      case OPPORTUNISTIC -> {
        if (!caps.startTls()) {
          return CompletableFuture.completedFuture(caps);
        }
      }
      case REQUIRED -> {
        if (!caps.startTls()) {
          throw stop(Stage.TLS, null, "STARTTLS not offered and TLS is required");
        }
      }
    }
    return handler
        .startTls(
            timeouts.command(),
            () -> sslHandler = tls.handler(route, channel.alloc(), timeouts.command()))
        .thenCompose(
            reply -> {
              if (reply.code() != 220) {
                if (route.tls() == TlsMode.OPPORTUNISTIC && reply.code() != 421) {
                  // RFC 3207 §4: the server may refuse; opportunistic delivery goes on in
                  // plaintext.
                  return CompletableFuture.completedFuture(caps);
                }
                throw stop(Stage.TLS, reply, "STARTTLS answered " + reply);
              }
              return handshake().thenCompose(v -> ehlo());
            });
  }

  private CompletableFuture<Void> handshake() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    sslHandler
        .handshakeFuture()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                handler.tlsStarted();
                done.complete(null);
              } else {
                done.completeExceptionally(
                    new Stop(
                        handler.failure(
                            Stage.TLS,
                            null,
                            "handshake failed: " + rootMessage(f.cause()),
                            f.cause())));
              }
            });
    return done;
  }

  private CompletableFuture<EhloCapabilities> authenticate(EhloCapabilities caps) {
    if (route.credentials().isEmpty()) {
      return CompletableFuture.completedFuture(caps);
    }
    Credentials credentials = route.credentials().get();
    if (sslHandler == null && route.tls() != TlsMode.NONE) {
      throw stop(Stage.AUTH, null, "credentials are not sent without TLS (tls: none allows it)");
    }
    if (caps.authMechanisms().contains("PLAIN")) {
      // RFC 4616: authzid NUL authcid NUL password, as the initial response (RFC 4954 §4).
      String token = base64("\0" + credentials.username() + "\0" + credentials.password());
      return handler
          .command("AUTH PLAIN " + token, Stage.AUTH, timeouts.command())
          .thenApply(reply -> authenticated(reply, "PLAIN", credentials, caps, token));
    }
    if (caps.authMechanisms().contains("LOGIN")) {
      String user = base64(credentials.username());
      String password = base64(credentials.password());
      return handler
          .command("AUTH LOGIN", Stage.AUTH, timeouts.command())
          .thenCompose(
              reply -> {
                challenged(reply, credentials, password);
                return handler.command(user, Stage.AUTH, timeouts.command());
              })
          .thenCompose(
              reply -> {
                challenged(reply, credentials, password);
                return handler.command(password, Stage.AUTH, timeouts.command());
              })
          .thenApply(reply -> authenticated(reply, "LOGIN", credentials, caps, password));
    }
    throw stop(
        Stage.AUTH,
        null,
        "no AUTH mechanism in common (server offers "
            + (caps.authMechanisms().isEmpty() ? "none" : String.join(" ", caps.authMechanisms()))
            + ", client knows PLAIN LOGIN)");
  }

  private void challenged(SmtpReply reply, Credentials credentials, String token) {
    if (reply.code() != 334) {
      SmtpReply clean = scrub(reply, credentials, token);
      throw stop(
          Stage.AUTH, clean, "AUTH LOGIN as " + credentials.username() + " answered " + clean);
    }
  }

  private EhloCapabilities authenticated(
      SmtpReply reply,
      String mechanism,
      Credentials credentials,
      EhloCapabilities caps,
      String token) {
    if (reply.code() != 235) {
      SmtpReply clean = scrub(reply, credentials, token);
      throw stop(
          Stage.AUTH,
          clean,
          "AUTH " + mechanism + " as " + credentials.username() + " answered " + clean);
    }
    return caps;
  }

  /** A server may echo what it got; the password never reaches a message or a log. */
  private static SmtpReply scrub(SmtpReply reply, Credentials credentials, String token) {
    List<String> lines = new ArrayList<>();
    for (String line : reply.lines()) {
      String clean = line;
      for (String secret : List.of(credentials.password(), token, base64(credentials.password()))) {
        if (!secret.isEmpty()) {
          clean = clean.replace(secret, "***");
        }
      }
      lines.add(clean);
    }
    return new SmtpReply(reply.code(), reply.status(), lines);
  }

  private Optional<String> tlsDescription() {
    if (sslHandler == null) {
      return Optional.empty();
    }
    SSLSession session = sslHandler.engine().getSession();
    return Optional.of(session.getProtocol() + " " + session.getCipherSuite());
  }

  private Stop stop(Stage stage, SmtpReply reply, String detail) {
    return new Stop(handler.failure(stage, reply, detail, null));
  }

  private void fail(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof Stop)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    result.completeExceptionally(cause);
    channel.close();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
