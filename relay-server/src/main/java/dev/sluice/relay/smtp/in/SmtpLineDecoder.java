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
 * never buffered. One instance per channel; the limit is changed by the session as it moves between
 * commands and DATA.
 */
public final class SmtpLineDecoder extends ByteToMessageDecoder {
  private int maxLineLength;
  private boolean discarding;

  /**
   * @param maxLineLength the longest line content accepted, in bytes, without its line ending
   */
  public SmtpLineDecoder(int maxLineLength) {
    this.maxLineLength = maxLineLength;
  }

  /** Sets the limit for the lines still to come (commands and DATA have different limits). */
  public void maxLineLength(int bytes) {
    this.maxLineLength = bytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int lf = in.forEachByte(ByteProcessor.FIND_LF);
      if (lf < 0) {
        // +1: the CR of a CRLF may already be here while the LF is still on its way.
        if (discarding || in.readableBytes() > maxLineLength + 1) {
          discarding = true;
          in.skipBytes(in.readableBytes());
        }
        return;
      }
      int start = in.readerIndex();
      boolean crlf = lf > start && in.getByte(lf - 1) == '\r';
      int length = lf - start - (crlf ? 1 : 0);
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
