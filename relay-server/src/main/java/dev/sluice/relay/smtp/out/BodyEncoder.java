package dev.sluice.relay.smtp.out;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * Turns spooled message text into DATA bytes, a chunk at a time: every line ending (CRLF, bare LF,
 * bare CR) becomes CRLF, a line starting with '.' gets one more (RFC 5321 §4.5.2), the text ends
 * with CRLF, then {@code .CRLF}. Reads the body from its position without changing it. One encoder
 * per transmission; not thread-safe.
 */
final class BodyEncoder {
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte DOT = '.';

  private final ByteBuffer body;
  private int position;
  private boolean lineStart = true;
  private boolean pendingCr;
  private boolean finished;

  BodyEncoder(ByteBuffer body) {
    this.body = body.duplicate();
    this.position = this.body.position();
  }

  /** The whole encoded text at once, for tests and small messages. */
  static byte[] encode(ByteBuffer body) {
    BodyEncoder encoder = new BodyEncoder(body);
    ByteBuf out = Unpooled.buffer(body.remaining() + 16);
    while (!encoder.finished()) {
      encoder.next(out, 8192);
    }
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  /** Whether the final {@code .CRLF} has been produced. */
  boolean finished() {
    return finished;
  }

  /**
   * Encodes up to {@code maxInput} more bytes of the body into {@code out}; after the last byte of
   * the body, adds the final line ending and {@code .CRLF} and becomes {@link #finished()}.
   */
  void next(ByteBuf out, int maxInput) {
    int end = Math.min(body.limit(), position + maxInput);
    int i = position;
    while (i < end) {
      byte b = body.get(i);
      if (pendingCr) {
        pendingCr = false;
        out.writeByte(CR).writeByte(LF);
        lineStart = true;
        if (b == LF) {
          i++;
          continue;
        }
      }
      if (b == CR) {
        pendingCr = true;
        i++;
      } else if (b == LF) {
        out.writeByte(CR).writeByte(LF);
        lineStart = true;
        i++;
      } else {
        if (lineStart && b == DOT) {
          out.writeByte(DOT); // RFC 5321 §4.5.2: a leading dot is doubled
        }
        int run = runEnd(i, end);
        out.writeBytes(body.duplicate().position(i).limit(run));
        lineStart = false;
        i = run;
      }
    }
    position = end;
    if (position == body.limit() && !finished) {
      if (pendingCr || !lineStart) {
        out.writeByte(CR).writeByte(LF);
      }
      pendingCr = false;
      out.writeByte(DOT).writeByte(CR).writeByte(LF);
      finished = true;
    }
  }

  /** The end of the run of bytes from {@code from} that holds no CR or LF. */
  private int runEnd(int from, int end) {
    int i = from;
    while (i < end) {
      byte b = body.get(i);
      if (b == CR || b == LF) {
        break;
      }
      i++;
    }
    return i;
  }
}
