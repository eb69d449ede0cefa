package dev.sluice.relay.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP server (Netty): the JSON API under {@code /api/v1/}, {@code /metrics}, {@code
 * /healthz}, {@code /readyz} and the dashboard, all from one {@link AdminRoutes} table.
 */
public final class AdminServer implements AutoCloseable {
  /** Bodies larger than this are refused with a JSON 413: no admin request needs more. */
  private static final int MAX_BODY = 1 << 20;

  private final Channel channel;
  private final AdminRoutes routes;

  private AdminServer(Channel channel, AdminRoutes routes) {
    this.channel = channel;
    this.routes = routes;
  }

  /** Binds {@code address} and serves {@code routes}; blocks until bound. */
  public static AdminServer bind(
      InetSocketAddress address,
      AdminRoutes routes,
      AdminToken token,
      EventLoopGroup boss,
      EventLoopGroup workers)
      throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, 120, TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec(8192, 16384, 8192))
                        .addLast(new BodyAggregator(MAX_BODY))
                        // Holds requests already decoded while AdminHandler has stopped reading.
                        .addLast(new FlowControlHandler())
                        .addLast(new IdleClose())
                        .addLast(new AdminHandler(routes, token));
                  }
                });
    Channel channel = bootstrap.bind(address).sync().channel();
    return new AdminServer(channel, routes);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Every route it serves. */
  public java.util.List<AdminRoutes.RouteInfo> routes() {
    return routes.routes();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  /** Closes a connection that has been idle for two minutes. */
  private static final class IdleClose extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt)
        throws Exception {
      if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
        ctx.close();
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }
  }
}
