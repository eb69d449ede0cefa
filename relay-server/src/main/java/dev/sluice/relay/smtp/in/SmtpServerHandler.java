package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;

/**
 * Carries out what {@link SessionState} decides for one connection: writes replies, starts TLS,
 * hands messages to the sink and credentials to the authenticator (off the event loop), and
 * enforces the per-line deadline that defeats one-byte-at-a-time clients. Lines that arrive while
 * the session waits for the spool or the authenticator are queued, so pipelined replies keep their
 * order.
 */
public final class SmtpServerHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(SmtpServerHandler.class.getName());

  private final SessionState session;
  private final SessionSettings settings;
  private final Optional<Supplier<SslContext>> starttls;
  private final MessageSink sink;
  private final Authenticator authenticator;
  private final Executor blocking;

  /** Lines read ahead while the session waits; past this many, reading pauses. */
  private static final int MAX_QUEUED_LINES = 256;

  private final Queue<SmtpLine> queued = new ArrayDeque<>();
  private final boolean implicitTls;
  private ScheduledFuture<?> deadline;
  private long deadlineCheck;
  private long lineStarted;

  public SmtpServerHandler(
      SessionState session,
      SessionSettings settings,
      Optional<Supplier<SslContext>> starttls,
      MessageSink sink,
      Authenticator authenticator,
      Executor blocking,
      boolean implicitTls) {
    this.session = session;
    this.implicitTls = implicitTls;
    this.settings = settings;
    this.starttls = starttls;
    this.sink = sink;
    this.authenticator = authenticator;
    this.blocking = blocking;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!implicitTls) {
      greet(ctx);
    }
    armDeadline(ctx);
    ctx.fireChannelActive();
  }

  private void greet(ChannelHandlerContext ctx) {
    apply(ctx, session.connected());
    ctx.flush();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof SmtpLine line)) {
      // Bytes left in a decoder we removed at STARTTLS: plaintext the client must not inject.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (session.waiting() || !queued.isEmpty()) {
      armDeadline(ctx);
      queued.add(line);
      if (queued.size() >= MAX_QUEUED_LINES) {
        ctx.channel().config().setAutoRead(false); // a pipelining client waits for the spool
      }
      return;
    }
    apply(ctx, session.line(line));
    armDeadline(ctx); // after the line: the next one has the timeout of the phase it led to
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush(); // one write for all replies to a pipelined batch
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        SSLSession ssl = ctx.pipeline().get(SslHandler.class).engine().getSession();
        session.tlsStarted(ssl.getProtocol() + " " + ssl.getCipherSuite());
        if (implicitTls) {
          greet(ctx); // port 465: the greeting is the first thing sent inside TLS
        }
      } else {
        LOG.log(
            Level.DEBUG, "[{0}] TLS handshake failed: {1}", remote(ctx), done.cause().toString());
        ctx.close();
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, "[{0}] connection error: {1}", remote(ctx), cause.toString());
    ctx.close();
  }

  /** The server is stopping: answer 421 and close (RFC 5321 §3.8), after a store under way. */
  public void shutdown(ChannelHandlerContext ctx) {
    apply(ctx, session.shutdown());
    ctx.flush();
  }

  private void apply(ChannelHandlerContext ctx, List<SessionEffect> effects) {
    for (SessionEffect effect : effects) {
      if (effect instanceof SessionEffect.Reply r) {
        ctx.write(Unpooled.wrappedBuffer(r.reply().wireBytes()));
      } else if (effect instanceof SessionEffect.StartTls) {
        startTls(ctx);
      } else if (effect instanceof SessionEffect.Close) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else if (effect instanceof SessionEffect.Store s) {
        store(ctx, s.transaction());
      } else if (effect instanceof SessionEffect.VerifyCredentials v) {
        verify(ctx, v);
      }
    }
  }

  /**
   * The 220 is flushed in plaintext first; then the SslHandler goes in front and the line decoder
   * is replaced, so that nothing the client sent before the handshake survives (CVE-2011-0411).
   */
  private void startTls(ChannelHandlerContext ctx) {
    ctx.flush();
    ctx.pipeline().addFirst("tls", starttls.orElseThrow().get().newHandler(ctx.alloc()));
    ctx.pipeline().replace(SmtpLineDecoder.class, "lines", new SmtpLineDecoder(settings.maxLine()));
    queued.clear();
  }

  private void store(ChannelHandlerContext ctx, Transaction transaction) {
    sink.accept(transaction)
        .whenComplete(
            (id, failure) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (failure != null) {
                            LOG.log(
                                Level.WARNING,
                                "[{0}] spool refused a message: {1}",
                                remote(ctx),
                                failure.toString());
                          }
                          resume(
                              ctx,
                              session.stored(failure == null ? Optional.of(id) : Optional.empty()));
                        }));
  }

  private void verify(ChannelHandlerContext ctx, SessionEffect.VerifyCredentials credentials) {
    blocking.execute(
        () -> {
          Authenticator.Outcome outcome;
          try {
            outcome =
                authenticator.check(
                    session.client().address(), credentials.username(), credentials.password());
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[{0}] AUTH check failed: {1}", remote(ctx), e.toString());
            outcome = new Authenticator.Outcome.Unavailable();
          }
          Authenticator.Outcome answer = outcome;
          ctx.executor()
              .execute(() -> resume(ctx, session.authenticated(credentials.username(), answer)));
        });
  }

  /** Applies the answer the session waited for, then the lines queued meanwhile. */
  private void resume(ChannelHandlerContext ctx, List<SessionEffect> effects) {
    apply(ctx, effects);
    while (!queued.isEmpty() && !session.waiting()) {
      apply(ctx, session.line(queued.poll()));
    }
    ctx.flush();
    if (queued.isEmpty() && !ctx.channel().config().isAutoRead() && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
    armDeadline(ctx); // the client's turn again: its next line has a deadline too
  }

  /**
   * RFC 5321 §4.5.3.2: each line must arrive within the timeout, however it trickles in. A line
   * only moves the start of the clock; one timer per connection checks it when it fires and sleeps
   * again for what is left, so a busy connection does not schedule a task per line. The timer is
   * moved earlier only when the session enters a phase with a shorter timeout (DATA's or the
   * commands').
   */
  private void armDeadline(ChannelHandlerContext ctx) {
    lineStarted = System.nanoTime();
    long timeout = timeout().toNanos();
    if (deadline == null || deadlineCheck - (lineStarted + timeout) > 0) {
      if (deadline != null) {
        deadline.cancel(false);
      }
      scheduleCheck(ctx, timeout);
    }
  }

  private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
    deadlineCheck = System.nanoTime() + delayNanos;
    deadline = ctx.executor().schedule(() -> checkDeadline(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkDeadline(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    long left = timeout().toNanos() - (System.nanoTime() - lineStarted);
    if (left > 0 || session.waiting()) {
      scheduleCheck(ctx, Math.max(left, TimeUnit.MILLISECONDS.toNanos(100)));
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(SmtpReply.TIMEOUT.wireBytes()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private java.time.Duration timeout() {
    return session.inData() ? settings.dataTimeout() : settings.commandTimeout();
  }

  private static String remote(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }
}
