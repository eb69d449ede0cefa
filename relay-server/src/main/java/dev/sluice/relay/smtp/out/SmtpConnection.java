package dev.sluice.relay.smtp.out;

import dev.sluice.routing.outcome.Stage;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open, greeted (and, as the route asks, secured and authenticated) SMTP session, made by {@link
 * SmtpClient#connect}. One transaction at a time; methods may be called from any thread, and the
 * futures complete on the connection's event loop (do not block in their callbacks).
 */
public final class SmtpConnection {
  /** How long QUIT may take before the connection is simply closed. */
  private static final Duration QUIT_WAIT = Duration.ofSeconds(2);

  private final Channel channel;
  private final ClientHandler handler;
  private final OutboundRoute route;
  private final ClientTimeouts timeouts;
  private final EhloCapabilities capabilities;
  private final Optional<String> tls;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger transactions = new AtomicInteger();
  private volatile boolean clean = true;

  SmtpConnection(
      Channel channel,
      ClientHandler handler,
      OutboundRoute route,
      ClientTimeouts timeouts,
      EhloCapabilities capabilities,
      Optional<String> tls) {
    this.channel = channel;
    this.handler = handler;
    this.route = route;
    this.timeouts = timeouts;
    this.capabilities = capabilities;
    this.tls = tls;
  }

  public OutboundRoute route() {
    return route;
  }

  /** What the server offered in its last EHLO (after STARTTLS, the one inside TLS). */
  public EhloCapabilities capabilities() {
    return capabilities;
  }

  /** {@code "TLSv1.3 TLS_AES_256_GCM_SHA384"} when TLS is active, else empty. */
  public Optional<String> tls() {
    return tls;
  }

  /**
   * One transaction: MAIL, RCPT for each recipient, DATA, message text, final dot; pipelined (RFC
   * 2920) when the server offers PIPELINING. Completes with one {@link RecipientResult} per
   * recipient, in order, for every protocol-level outcome, including the client's own refusals (an
   * address that cannot be written safely, SMTPUTF8 or SIZE the server cannot take). Fails with
   * {@link OutboundException} only when the connection breaks or times out; {@link Stage#DATA_END}
   * then means the final dot was sent and the outcome is unknown, and {@link
   * OutboundException#decided()} holds the recipients already refused. Must not be called while
   * another send is running on this connection (the future fails with {@link
   * IllegalStateException}).
   */
  public CompletableFuture<TransactionResult> send(OutboundMessage message) {
    CompletableFuture<TransactionResult> result = new CompletableFuture<>();
    if (!busy.compareAndSet(false, true)) {
      result.completeExceptionally(
          new IllegalStateException("[" + route.describe() + "] a send is already running"));
      return result;
    }
    channel
        .eventLoop()
        .execute(
            () ->
                TransactionRun.start(
                        handler, channel, timeouts, capabilities, route.hostName(), message)
                    .whenComplete(
                        (outcome, failure) -> {
                          if (failure != null) {
                            clean = false;
                            busy.set(false);
                            result.completeExceptionally(failure);
                          } else {
                            clean = outcome.clean();
                            transactions.incrementAndGet();
                            busy.set(false);
                            result.complete(outcome.result());
                          }
                        }));
    return result;
  }

  /**
   * Whether another {@link #send} may follow: the connection is open, the last transaction ended
   * cleanly (or was RSET), and the server never said 421.
   */
  public boolean reusable() {
    return clean && !busy.get() && handler.healthy() && !handler.sawTrouble();
  }

  /** Transactions completed on this connection. */
  public int transactions() {
    return transactions.get();
  }

  /**
   * Sends RSET and completes when 250 came back; fails with {@link OutboundException} otherwise.
   * Used before reusing an idle connection, to learn that it still works.
   */
  public CompletableFuture<Void> reset() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel
        .eventLoop()
        .execute(
            () ->
                handler
                    .command("RSET", Stage.MAIL, timeouts.command())
                    .whenComplete(
                        (reply, failure) -> {
                          if (failure != null) {
                            clean = false;
                            done.completeExceptionally(failure);
                          } else if (reply.code() != 250) {
                            clean = false;
                            done.completeExceptionally(
                                handler.failure(Stage.MAIL, reply, "RSET answered " + reply, null));
                          } else {
                            clean = true;
                            done.complete(null);
                          }
                        }));
    return done;
  }

  /** QUIT (best effort, a short wait) and close. Never fails. */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> closed.complete(null));
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!handler.healthy() || busy.get()) {
                channel.close();
                return;
              }
              Duration wait =
                  timeouts.command().compareTo(QUIT_WAIT) < 0 ? timeouts.command() : QUIT_WAIT;
              handler
                  .command("QUIT", Stage.MAIL, wait)
                  .whenComplete((reply, failure) -> channel.close());
            });
    return closed;
  }

  @Override
  public String toString() {
    return "SmtpConnection[" + route.describe() + tls.map(t -> ", " + t).orElse("") + "]";
  }
}
