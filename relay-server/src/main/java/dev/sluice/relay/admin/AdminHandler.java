package dev.sluice.relay.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Answers one admin HTTP request: finds its route, checks the bearer token, runs the endpoint and
 * writes its answer. A connection carries one request at a time: reading stops while a request is
 * answered (an endpoint may answer later, from another thread), so that pipelined requests are
 * answered in their order (RFC 9112 §9.3.2), each once, and one client cannot queue work without
 * bound. Every refusal is JSON: 400 for a request it cannot read, 413 for a body over the limit
 * ({@link BodyAggregator}), 401 without a valid token, 404 for an unknown path, 405 for a known
 * path with another method, the endpoint's 4xx, and 500 (logged, with no detail to the client) for
 * a bug.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final System.Logger LOG = System.getLogger(AdminHandler.class.getName());

  private final AdminRoutes routes;
  private final AdminToken token;

  AdminHandler(AdminRoutes routes, AdminToken token) {
    this.routes = routes;
    this.token = token;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
    // One request at a time: the next is read once this one's answer is written (see write).
    ctx.channel().config().setAutoRead(false);
    boolean keepAlive = HttpUtil.isKeepAlive(http);
    if (!http.decoderResult().isSuccess()) {
      if (http.decoderResult().cause() instanceof TooLongHttpContentException tooLarge) {
        write(ctx, AdminResponse.error(413, tooLarge.getMessage()), keepAlive); // BodyAggregator
      } else {
        write(ctx, AdminResponse.error(400, "malformed HTTP request"), false);
      }
      return;
    }
    String method = http.method().name();
    QueryStringDecoder uri = new QueryStringDecoder(http.uri());
    CompletableFuture<AdminResponse> answer;
    try {
      answer = answer(http, method, uri);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (response, failure) ->
            ctx.executor()
                .execute(
                    () ->
                        write(
                            ctx,
                            failure == null ? response : refusal(method, uri.rawPath(), failure),
                            keepAlive)));
  }

  /**
   * The endpoint's answer, or the refusal when there is no endpoint to run or the token is wrong.
   * Throws {@link ApiException} for a request it cannot read.
   */
  private CompletableFuture<AdminResponse> answer(
      FullHttpRequest http, String method, QueryStringDecoder uri) {
    String path = uri.rawPath();
    Optional<AdminRoutes.Match> match = routes.match(method, path);
    if (match.isEmpty()) {
      TreeSet<String> allowed = routes.methodsAt(path);
      return CompletableFuture.completedFuture(
          allowed.isEmpty()
              ? AdminResponse.error(404, "no such resource: " + path)
              : AdminResponse.error(405, method + " is not allowed here; use " + allowed)
                  .withHeaders(Map.of("Allow", String.join(", ", allowed))));
    }
    AdminRoutes.Match m = match.get();
    if (m.access() == AdminRoutes.Access.TOKEN
        && !token.accepts(http.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      return CompletableFuture.completedFuture(
          AdminResponse.error(401, "a valid bearer token is required (Authorization: Bearer …)")
              .withHeaders(Map.of("WWW-Authenticate", "Bearer realm=\"sluice\"")));
    }
    byte[] body = new byte[http.content().readableBytes()];
    http.content().readBytes(body);
    return m.endpoint().handle(new AdminRequest(method, path, m.params(), query(uri), body));
  }

  /** The query parameters, decoded; a malformed {@code %XX} is a 400. */
  private static Map<String, List<String>> query(QueryStringDecoder uri) {
    try {
      return uri.parameters();
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "malformed percent-encoding in query");
    }
  }

  private static AdminResponse refusal(String method, String path, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ApiException e) {
      return AdminResponse.error(e.status(), e.getMessage());
    }
    LOG.log(Level.ERROR, "admin " + method + " " + path + " failed", cause);
    return AdminResponse.error(500, "internal error; see the server log");
  }

  private static void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
    ChannelFuture written = ctx.writeAndFlush(http(response, keepAlive));
    if (keepAlive) {
      written.addListener(
          f -> {
            if (f.isSuccess()) {
              ctx.channel().config().setAutoRead(true);
            } else {
              ctx.close();
            }
          });
    } else {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * {@code response} as HTTP, with the headers every answer of the admin server carries.
   *
   * @param keepAlive whether the connection stays open after it ({@code Connection} header)
   */
  static FullHttpResponse http(AdminResponse response, boolean keepAlive) {
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.body()));
    http.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    response.headers().forEach(http.headers()::set);
    return http;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, "admin connection closed: {0}", cause.toString());
    ctx.close();
  }
}
