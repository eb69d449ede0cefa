package dev.sluice.relay.smtp.in;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Frames client bytes into {@link SmtpLine}s at every LF, recording whether the LF was preceded by
 * CR and whether a CR appears elsewhere, so the session can refuse bare CR and LF (the SMTP
 * smuggling defence) instead of guessing. Lines longer than the limit are discarded as they arrive,
 * never buffered. The limit only bounds memory: lines are framed ahead of the session (pipelined,
 * or queued while it waits), so the session applies the command and DATA limits itself ({@link
 * SmtpLine#longerThan}). One instance per channel.
 */
public final class SmtpLineDecoder extends ByteToMessageDecoder {
  private final int maxLineLength;
  private boolean discarding;
  private boolean discardedCr;

  /**
   * @param maxLineLength the longest line content kept, in bytes, without its line ending
   */
  public SmtpLineDecoder(int maxLineLength) {
    this.maxLineLength = maxLineLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int lf = in.forEachByte(ByteProcessor.FIND_LF);
      if (lf < 0) {
        // +1: the CR of a CRLF may already be here while the LF is still on its way.
        if (discarding || in.readableBytes() > maxLineLength + 1) {
          discarding = true;
          discardedCr = in.getByte(in.writerIndex() - 1) == '\r'; // its LF may come next
          in.skipBytes(in.readableBytes());
        }
        return;
      }
      int start = in.readerIndex();
      boolean crlf = lf > start ? in.getByte(lf - 1) == '\r' : discarding && discardedCr;
      int length = Math.max(0, lf - start - (crlf ? 1 : 0));
      if (discarding || length > maxLineLength) {
        discarding = false;
        in.readerIndex(lf + 1);
        out.add(new SmtpLine(new byte[0], !crlf, false, true));
        continue;
      }
      byte[] content = new byte[length];
      in.readBytes(content);
      in.readerIndex(lf + 1);
      out.add(new SmtpLine(content, !crlf, indexOf(content, (byte) '\r') >= 0, false));
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
