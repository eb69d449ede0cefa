package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent connections in total and per client IP, and how fast one IP may open them ({@link
 * ConnectionRate}); a connection over a cap or the rate is answered {@code 421 4.7.0} and closed
 * before the session starts (closed without a reply on an implicit-TLS listener). Shared by every
 * connection of a server; thread-safe.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("sluice.counted-ip");

  private final int maxTotal;
  private final int maxPerIp;
  private final ConnectionRate rate;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxTotal, int maxPerIp, ConnectionRate rate) {
    this.maxTotal = maxTotal;
    this.maxPerIp = maxPerIp;
    this.rate = rate;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    String ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    int all = total.incrementAndGet();
    int mine = perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
    ctx.channel().attr(COUNTED).set(ip);
    if (all > maxTotal) {
      refuse(ctx, "Too many connections, try again later");
    } else if (mine > maxPerIp) {
      refuse(ctx, "Too many connections from your address");
    } else if (!rate.admit(ip)) {
      refuse(ctx, "Too many connections from your address lately, try again later");
    } else {
      ctx.fireChannelActive();
    }
  }

  private static void refuse(ChannelHandlerContext ctx, String text) {
    ctx.channel().config().setAutoRead(false); // no session: nothing it sends is read
    if (ctx.pipeline().get(SslHandler.class) != null) {
      // Implicit TLS (465): a plaintext reply would only break the client's handshake, and a
      // handshake per refused connection is what a flood wants us to spend.
      ctx.close();
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(SmtpReply.of(421, "4.7.0", text).wireBytes()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    String ip = ctx.channel().attr(COUNTED).getAndSet(null);
    if (ip != null) {
      total.decrementAndGet();
      perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }
    ctx.fireChannelInactive();
  }
}
