package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Fuzzes the DATA path: the bytes a client sends after {@code DATA}, framed by the real {@link
 * SmtpLineDecoder} and collected by {@link DataReader}, checked against the promise of DataReader's
 * Javadoc and docs/configuration.md "Protocol safety", written here as a plain model over the
 * bytes:
 *
 * <ul>
 *   <li>the data ends at the first {@code CRLF . CRLF} (the CRLF of the DATA line counting as the
 *       first), exactly there and nowhere else: no {@code LF.LF}, {@code LF.CRLF}, {@code CR.CR} or
 *       other smuggled end stops it early, and without one it never ends;
 *   <li>the message is accepted exactly when the text before that end has no bare CR or LF, no line
 *       over the limit and fits the size limit; a bare CR or LF is refused with 5.6.11;
 *   <li>an accepted body is the text with one leading dot taken off each line (RFC 5321 §4.5.2);
 *       dot-stuffed again and followed by {@code .CRLF}, as delivery sends it on, it reads back to
 *       itself and ends only at that end: no end-of-data hides in it.
 * </ul>
 */
class DataReaderFuzzTest {
  private static final int MAX_LINE = 998;
  private static final long MAX_SIZE = 4096;
  private static final byte[] END = {'\r', '\n', '.', '\r', '\n'};

  @FuzzTest(maxDuration = "5m")
  void endsOnlyAtCrlfDotCrlfAndKeepsTheBodyIntact(byte[] input) {
    Read read = read(input);
    byte[] framed = concat(new byte[] {'\r', '\n'}, input); // the DATA line's CRLF comes first
    int end = indexOf(framed, END); // in input coordinates, the text before the end is [0, end)
    if (end < 0) {
      assertThat(read.endedAtLine()).as("ended without CRLF.CRLF in the input").isEqualTo(-1);
      return;
    }
    assertThat(read.endedAtLine())
        .as("the end-of-data line")
        .isEqualTo(count(input, end + 3, (byte) '\n'));

    byte[] text = Arrays.copyOfRange(input, 0, end);
    byte[] unstuffed = unstuff(text);
    DataReader.Outcome outcome = read.outcome();
    boolean bareNewline = hasBareCrOrLf(text);
    boolean tooLong = hasLineLongerThan(text, MAX_LINE);
    boolean tooBig = unstuffed.length > MAX_SIZE;
    assertThat(outcome.accepted()).isEqualTo(!bareNewline && !tooLong && !tooBig);
    if (bareNewline && !tooLong) { // a too-long line is discarded unread: 5.6.0 for it
      assertThat(outcome.refusal().status()).isEqualTo("5.6.11");
    }
    if (outcome.accepted()) {
      assertThat(outcome.body()).isEqualTo(unstuffed);
      byte[] resent = concat(stuff(outcome.body()), new byte[] {'.', '\r', '\n'});
      Read again = read(resent);
      assertThat(again.endedAtLine())
          .as("the body dot-stuffed again ends only at its own end")
          .isEqualTo(count(resent, resent.length, (byte) '\n'));
      assertThat(again.outcome().body()).isEqualTo(outcome.body());
    }
  }

  /** What the reader made of the lines the decoder framed: where it ended (-1: never). */
  private record Read(int endedAtLine, DataReader.Outcome outcome) {}

  private static Read read(byte[] input) {
    // The decoder keeps longer lines than DATA allows (its limit is the command line's too).
    EmbeddedChannel channel = new EmbeddedChannel(new SmtpLineDecoder(4 * MAX_LINE));
    channel.writeInbound(Unpooled.wrappedBuffer(input));
    DataReader reader = new DataReader(MAX_SIZE, MAX_LINE);
    int lineNumber = 0;
    int endedAtLine = -1;
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      lineNumber++;
      if (endedAtLine < 0 && reader.accept((SmtpLine) o)) {
        endedAtLine = lineNumber;
      }
    }
    channel.finishAndReleaseAll();
    return new Read(endedAtLine, endedAtLine < 0 ? null : reader.outcome());
  }

  /** RFC 5321 §4.5.2 undone: one leading dot off every CRLF line. */
  private static byte[] unstuff(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean lineStart = true;
    for (byte b : text) {
      if (!(lineStart && b == '.')) {
        out.write(b);
      }
      lineStart = b == '\n';
    }
    return out.toByteArray();
  }

  /** RFC 5321 §4.5.2: a line starting with a dot gets one more. */
  private static byte[] stuff(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean lineStart = true;
    for (byte b : body) {
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      lineStart = b == '\n';
    }
    return out.toByteArray();
  }

  private static boolean hasBareCrOrLf(byte[] text) {
    for (int i = 0; i < text.length; i++) {
      boolean crlf =
          (text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n')
              || (text[i] == '\n' && i > 0 && text[i - 1] == '\r');
      if ((text[i] == '\r' || text[i] == '\n') && !crlf) {
        return true;
      }
    }
    return false;
  }

  /** Whether a line's content (without CRLF, or without a bare LF) is longer than {@code max}. */
  private static boolean hasLineLongerThan(byte[] text, int max) {
    int start = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n') {
        int length = i - start - (i > start && text[i - 1] == '\r' ? 1 : 0);
        if (length > max) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static int count(byte[] bytes, int length, byte b) {
    int n = 0;
    for (int i = 0; i < length; i++) {
      n += bytes[i] == b ? 1 : 0;
    }
    return n;
  }

  /** The index in {@code bytes} where {@code what} first starts, or -1. */
  private static int indexOf(byte[] bytes, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= bytes.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (bytes[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
