package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.routing.outcome.Stage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The reply side of one outbound connection: matches each {@link SmtpReply} to the oldest command
 * still waiting for one (RFC 2920 keeps them in order), runs the reply timeout of that command, and
 * fails everything still waiting when the connection breaks, times out or talks garbage. Futures
 * complete on the event loop; every method must be called on it.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  /** A command waiting for its reply. */
  private record Expectation(
      Stage stage,
      Duration timeout,
      CompletableFuture<SmtpReply> reply,
      Supplier<SslHandler> tls) {}

  private final String route;
  private final Duration greetingTimeout;
  private final CompletableFuture<SmtpReply> greeting = new CompletableFuture<>();
  private final Deque<Expectation> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private volatile String brokenDetail;
  private Throwable brokenCause;
  private boolean discardUntilTls;
  private volatile boolean saw421;
  private volatile boolean unsolicited;

  /**
   * @param route the route's description, the prefix of every failure message
   * @param greetingTimeout how long to wait for the greeting once connected
   */
  ClientHandler(String route, Duration greetingTimeout) {
    this.route = route;
    this.greetingTimeout = greetingTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // The greeting may be read before any connect listener runs: it must find its expectation.
    expect(Stage.GREETING, greetingTimeout, null)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                greeting.completeExceptionally(failure);
              } else {
                greeting.complete(reply);
              }
            });
    ctx.fireChannelActive();
  }

  /** The 220 greeting (RFC 5321 §4.3.1), awaited from the moment the connection is up. */
  CompletableFuture<SmtpReply> greeting() {
    return greeting;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Waits for a reply without sending anything (the reply after the final dot). */
  CompletableFuture<SmtpReply> expect(Stage stage, Duration timeout) {
    return expect(stage, timeout, null);
  }

  /** Writes a command line (without CRLF) and waits for its reply; the caller flushes. */
  CompletableFuture<SmtpReply> write(String line, Stage stage, Duration timeout) {
    CompletableFuture<SmtpReply> reply = expect(stage, timeout, null);
    writeLine(line);
    return reply;
  }

  /** Writes and flushes a command line and waits for its reply. */
  CompletableFuture<SmtpReply> command(String line, Stage stage, Duration timeout) {
    CompletableFuture<SmtpReply> reply = write(line, stage, timeout);
    ctx.flush();
    return reply;
  }

  /**
   * Sends STARTTLS. On a 220 the TLS handler goes in front before anything else is read, and
   * whatever the server sent after its 220 in plaintext is thrown away, never read as a reply
   * (CVE-2011-0411). The future completes with the reply; the handshake follows.
   */
  CompletableFuture<SmtpReply> startTls(Duration timeout, Supplier<SslHandler> tls) {
    CompletableFuture<SmtpReply> reply = expect(Stage.TLS, timeout, tls);
    writeLine("STARTTLS");
    ctx.flush();
    return reply;
  }

  /** Reading replies again once the TLS handshake is done. */
  void tlsStarted() {
    discardUntilTls = false;
  }

  /** Writes raw bytes (message text); the caller watches the write future. */
  ChannelFuture writeBytes(ByteBuf bytes) {
    return ctx.writeAndFlush(bytes);
  }

  /** Whether the server said 421, or said something nobody asked for. */
  boolean sawTrouble() {
    return saw421 || unsolicited;
  }

  /** Whether the connection is still usable: open and nothing broken. */
  boolean healthy() {
    return brokenDetail == null && ctx.channel().isActive();
  }

  /** A failure for {@code stage}, prefixed with the route. */
  OutboundException failure(Stage stage, SmtpReply reply, String detail, Throwable cause) {
    return new OutboundException(stage, reply, "[" + route + "] " + stage + ": " + detail, cause);
  }

  private CompletableFuture<SmtpReply> expect(
      Stage stage, Duration timeout, Supplier<SslHandler> tls) {
    CompletableFuture<SmtpReply> reply = new CompletableFuture<>();
    if (brokenDetail != null) {
      reply.completeExceptionally(failure(stage, null, brokenDetail, brokenCause));
      return reply;
    }
    pending.add(new Expectation(stage, timeout, reply, tls));
    if (pending.size() == 1) {
      arm();
    }
    return reply;
  }

  private void writeLine(String line) {
    // UTF-8: addresses may be non-ASCII under SMTPUTF8 (RFC 6531 §3.2); the plan vetted them.
    ByteBuf buf = ctx.alloc().buffer(line.length() + 8);
    buf.writeCharSequence(line, StandardCharsets.UTF_8);
    buf.writeByte('\r').writeByte('\n');
    ctx.write(buf);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof SmtpReply reply)) {
      // Bytes left in the reply decoder replaced at STARTTLS: plaintext injected before TLS.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (discardUntilTls) {
      return;
    }
    if (reply.code() == 421) {
      saw421 = true; // RFC 5321 §3.8: the server is closing the connection
    }
    Expectation head = pending.poll();
    if (head == null) {
      unsolicited = true;
      ctx.close();
      return;
    }
    disarm();
    if (head.tls() != null && reply.code() == 220) {
      discardUntilTls = true;
      ctx.pipeline().addFirst("tls", head.tls().get());
      ctx.pipeline().replace(ReplyDecoder.class, "replies", new ReplyDecoder());
    }
    if (!pending.isEmpty()) {
      arm();
    }
    head.reply().complete(reply);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    String detail =
        root instanceof MalformedReplyException
            ? "protocol error: " + root.getMessage()
            : "connection error: " + root.getMessage();
    breakWith(detail, root);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    breakWith("connection closed by the server", null);
    ctx.fireChannelInactive();
  }

  private void arm() {
    Expectation head = pending.peek();
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  String detail =
                      "timeout after " + seconds(head.timeout()) + " waiting for a reply";
                  breakWith(detail, new TimeoutException(detail));
                  ctx.close();
                },
                head.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Fails every waiting command at its own stage; later expectations fail at once. */
  private void breakWith(String detail, Throwable cause) {
    disarm();
    if (brokenDetail == null) {
      brokenDetail = detail;
      brokenCause = cause;
    }
    Expectation e;
    while ((e = pending.poll()) != null) {
      e.reply().completeExceptionally(failure(e.stage(), null, brokenDetail, brokenCause));
    }
  }

  /** Why the connection broke, once it did: the detail of later failures. */
  String brokenDetail() {
    return brokenDetail == null ? "connection closed" : brokenDetail;
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
