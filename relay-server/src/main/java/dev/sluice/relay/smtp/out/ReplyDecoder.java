package dev.sluice.relay.smtp.out;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames server bytes into lines and lines into {@link dev.sluice.relay.smtp.SmtpReply} values via
 * {@link ReplyParser}. Emits at most one reply per decode call, so that a handler that removes this
 * decoder (STARTTLS) stops the flow right after the reply it acted on. A line over {@link
 * ReplyParser#MAX_LINE} bytes, garbage, or a reply over {@link ReplyParser#MAX_LINES} lines raises
 * {@link MalformedReplyException} through {@code exceptionCaught}; nothing after it is decoded.
 */
final class ReplyDecoder extends ByteToMessageDecoder {
  private final List<String> lines = new ArrayList<>();
  private boolean broken;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws MalformedReplyException {
    if (broken) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.isReadable()) {
      int lf = in.forEachByte(ByteProcessor.FIND_LF);
      if (lf < 0) {
        if (in.readableBytes() > ReplyParser.MAX_LINE + 1) {
          fail(in, "reply line longer than " + ReplyParser.MAX_LINE + " bytes");
        }
        return;
      }
      int start = in.readerIndex();
      int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
      if (end - start > ReplyParser.MAX_LINE) {
        fail(in, "reply line longer than " + ReplyParser.MAX_LINE + " bytes");
      }
      String line = in.toString(start, end - start, StandardCharsets.UTF_8);
      in.readerIndex(lf + 1);
      try {
        lines.add(line);
        if (lines.size() > ReplyParser.MAX_LINES) {
          throw new MalformedReplyException(
              "reply longer than " + ReplyParser.MAX_LINES + " lines");
        }
        if (ReplyParser.isLast(line)) {
          out.add(ReplyParser.parse(List.copyOf(lines)));
          lines.clear();
          return;
        }
      } catch (MalformedReplyException e) {
        broken = true;
        in.skipBytes(in.readableBytes());
        throw e;
      }
    }
  }

  private void fail(ByteBuf in, String message) throws MalformedReplyException {
    broken = true;
    in.skipBytes(in.readableBytes());
    throw new MalformedReplyException(message);
  }
}
