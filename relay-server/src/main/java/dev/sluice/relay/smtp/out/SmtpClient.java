package dev.sluice.relay.smtp.out;

import dev.sluice.routing.config.TlsMode;
import dev.sluice.routing.outcome.Stage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Opens outbound SMTP sessions on a Netty NIO event loop group: connect (from the route's source
 * address), greeting, EHLO, STARTTLS as the route's {@link TlsMode} asks, AUTH to relays.
 * Thread-safe; one client serves any number of connections. See {@code package-info.java} for the
 * steps of a delivery.
 */
public final class SmtpClient {
  private final EventLoopGroup group;
  private final ClientTimeouts timeouts;
  private final ClientTls tls;

  /**
   * @param group a NIO event loop group; the connections' I/O and callbacks run on it
   * @param trust PEM CA bundle used to verify certificates for {@link TlsMode#REQUIRED} (and {@link
   *     TlsMode#IMPLICIT}); empty = the JDK's default trust store
   * @throws IOException if the trust bundle cannot be read
   */
  public SmtpClient(EventLoopGroup group, ClientTimeouts timeouts, Optional<Path> trust)
      throws IOException {
    this.group = Objects.requireNonNull(group, "group");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.tls = ClientTls.load(trust);
  }

  /**
   * Connects (binding {@code route.source()} when present), reads the greeting, EHLO (falls back to
   * HELO on 5xx), STARTTLS per {@code route.tls()}, EHLO again after TLS, AUTH PLAIN or LOGIN when
   * {@code route.credentials()} is present (only over TLS unless the route's TLS mode is NONE).
   * Fails with {@link OutboundException} at stage CONNECT, GREETING, EHLO, TLS or AUTH, carrying
   * the server's reply when there was one.
   */
  public CompletableFuture<SmtpConnection> connect(OutboundRoute route) {
    CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
    ClientHandler handler = new ClientHandler(route.describe(), timeouts.greeting());
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (route.tls() == TlsMode.IMPLICIT) {
                      p.addLast("tls", tls.handler(route, ch.alloc(), timeouts.connect()));
                    }
                    p.addLast("replies", new ReplyDecoder());
                    p.addLast("client", handler);
                  }
                });
    ChannelFuture connecting =
        route
            .source()
            .map(source -> bootstrap.connect(route.remote(), new InetSocketAddress(source, 0)))
            .orElseGet(() -> bootstrap.connect(route.remote()));
    connecting.addListener(
        f -> {
          if (f.isSuccess()) {
            SessionOpener.open(connecting.channel(), handler, route, timeouts, tls, result);
          } else {
            result.completeExceptionally(
                handler.failure(Stage.CONNECT, null, connectFailure(f.cause()), f.cause()));
          }
        });
    return result;
  }

  private int connectMillis() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeouts.connect().toMillis()));
  }

  /** "Connection refused", without the address Netty appends (the route prefix has it). */
  private String connectFailure(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "timeout after " + ClientHandler.seconds(timeouts.connect());
    }
    String message = String.valueOf(cause.getMessage());
    int address = message.indexOf(": /");
    return address > 0 ? message.substring(0, address) : message;
  }
}
