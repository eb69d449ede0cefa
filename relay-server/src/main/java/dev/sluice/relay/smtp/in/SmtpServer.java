package dev.sluice.relay.smtp.in;

import dev.sluice.routing.net.Cidr;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One SMTP listener: binds an address and runs a pipeline per connection — connection limits, TLS
 * (for implicit-TLS listeners), CRLF line framing, the session. Start with {@link #bind}, stop with
 * {@link #close}, or several together with {@link #closeAll}; thread-safe.
 */
public final class SmtpServer implements AutoCloseable {
  private final Listener listener;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ConnectionLimiter limiter;
  private Channel serverChannel;

  /**
   * What a listener needs, resolved from configuration.
   *
   * @param name the listener's name from sluice.yaml, for logs
   * @param tls the server TLS context as it is now (it may be reloaded); required for submission
   *     and submissions
   * @param trustedNetworks clients allowed to relay without AUTH
   * @param limiter the connection caps, shared by every listener of a server
   */
  public record Listener(
      String name,
      InetSocketAddress address,
      ListenerMode mode,
      SessionSettings settings,
      Optional<Supplier<SslContext>> tls,
      List<Cidr> trustedNetworks,
      ConnectionLimiter limiter,
      SessionPolicy policy,
      MessageSink sink,
      Authenticator authenticator,
      Executor blocking) {
    public Listener {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(mode, "mode");
      trustedNetworks = List.copyOf(trustedNetworks);
      if (mode != ListenerMode.RELAY && tls.isEmpty()) {
        throw new IllegalArgumentException("listener " + name + " (" + mode + ") needs TLS");
      }
    }
  }

  /**
   * Reads of at least 8 KiB: Netty's adaptive default shrinks to 512 bytes after a few short
   * command lines, and the message text that follows DATA then takes two reads or more even when it
   * is 2 KB. Buffers are pooled and released once a line is decoded, so the size costs no memory
   * per idle session.
   */
  private static final AdaptiveRecvByteBufAllocator READS =
      new AdaptiveRecvByteBufAllocator(8192, 8192, 65536);

  /**
   * At a stop, how long the open sessions of all the listeners closed together have to be told 421:
   * part of the stop budget, beside the delivery's shutdown grace.
   */
  private static final Duration SESSION_WAIT = Duration.ofSeconds(5);

  public SmtpServer(Listener listener) {
    this.listener = listener;
    this.limiter = listener.limiter();
  }

  /**
   * Binds the listener on {@code loops}, which accept its connections and serve their sessions
   * (accepting on a thread of its own would cost a wake-up of a second thread per connection);
   * returns the bound address (port 0 → real port).
   */
  public InetSocketAddress bind(EventLoopGroup loops) throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops, loops)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    channels.add(ch);
                    pipeline(ch);
                  }
                });
    serverChannel = bootstrap.bind(listener.address()).sync().channel();
    return (InetSocketAddress) serverChannel.localAddress();
  }

  private void pipeline(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    String client = NetUtil.toAddressString(ch.remoteAddress().getAddress());
    boolean trusted = listener.trustedNetworks().stream().anyMatch(n -> n.contains(client));
    boolean implicit = listener.mode() == ListenerMode.SUBMISSIONS;
    p.addLast("limits", limiter);
    if (implicit) {
      p.addLast("tls", listener.tls().orElseThrow().get().newHandler(ch.alloc()));
    }
    SessionSettings settings = listener.settings();
    SessionState session =
        new SessionState(
            settings,
            listener.mode(),
            !implicit && listener.tls().isPresent(),
            listener.policy(),
            client,
            trusted,
            Optional.empty());
    p.addLast("lines", new SmtpLineDecoder(settings.maxLine()));
    p.addLast(
        "session",
        new SmtpServerHandler(
            session,
            settings,
            implicit ? Optional.empty() : listener.tls(),
            listener.sink(),
            listener.authenticator(),
            listener.blocking(),
            implicit));
  }

  public Listener listener() {
    return listener;
  }

  /** Stops accepting, then tells every open session 421 and closes it: {@link #closeAll}. */
  @Override
  public void close() {
    closeAll(List.of(this));
  }

  /**
   * Stops {@code servers} together, within {@link #SESSION_WAIT} in all: every listener stops
   * accepting first; then every open session is told 421 and closed (RFC 5321 §3.8), a session
   * waiting for the spool once it has its answer; then all are awaited under the one deadline, and
   * those still open after it are closed without a word. A session in a TLS handshake is closed at
   * once: the SslHandler would hold its 421 until a handshake the client may never finish.
   */
  public static void closeAll(List<SmtpServer> servers) {
    long deadline = System.nanoTime() + SESSION_WAIT.toNanos();
    for (SmtpServer s : servers) {
      if (s.serverChannel != null) {
        s.serverChannel.close().syncUninterruptibly();
      }
    }
    for (SmtpServer s : servers) {
      s.channels.forEach(ch -> ch.eventLoop().execute(() -> shutdown(ch)));
    }
    for (SmtpServer s : servers) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!s.channels.newCloseFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        s.channels.close();
      }
    }
  }

  private static void shutdown(Channel ch) {
    SmtpServerHandler handler = ch.pipeline().get(SmtpServerHandler.class);
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    if (handler == null || tls != null && !tls.handshakeFuture().isDone()) {
      ch.close();
    } else {
      handler.shutdown(ch.pipeline().context(handler));
    }
  }
}
