package dev.sluice.relay.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's {@link HttpObjectAggregator}, refusing a body over the limit with the API's JSON 413
 * (Netty's own has an empty body), whether the client announces its size (Content-Length, {@code
 * Expect: 100-continue}) or just sends it.
 */
final class BodyAggregator extends HttpObjectAggregator {
  private final String tooLarge;

  BodyAggregator(int maxBody) {
    // Close after refusing an Expect: 100-continue: the body it announced never comes, and the
    // decoder would take the next request for it.
    super(maxBody, true);
    this.tooLarge = "the request body is over the limit of " + maxBody + " bytes";
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof HttpResponse r
        && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(answer);
      return AdminHandler.http(AdminResponse.error(413, tooLarge), false);
    }
    return answer;
  }

  /**
   * Hands the request on to {@link AdminHandler} with a failed decoder result, to be answered like
   * any other (and in its turn); the rest of its body is read and dropped meanwhile.
   */
  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    HttpRequest request = (HttpRequest) oversized; // a server codec decodes nothing else
    FullHttpRequest refused =
        new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri());
    refused.headers().set(request.headers());
    refused.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(tooLarge)));
    ctx.fireChannelRead(refused);
  }
}
