package dev.sluice.relay.smtp.in;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * One line of client input as framed by {@link SmtpLineDecoder}: its bytes without the line ending,
 * and what was wrong with its framing.
 *
 * @param content the bytes before the line ending (empty when {@code tooLong})
 * @param bareLf the line ended with LF alone, not CRLF
 * @param bareCr the content holds a CR that is not part of a CRLF
 * @param tooLong the line exceeded the decoder's limit; its bytes were discarded
 */
public record SmtpLine(byte[] content, boolean bareLf, boolean bareCr, boolean tooLong) {
  /** Whether the line is longer than {@code limit} bytes without its line ending. */
  public boolean longerThan(int limit) {
    return tooLong || content.length > limit;
  }

  /** Whether the line ended with CRLF and holds no stray CR: the only framing SMTP allows. */
  public boolean isClean() {
    return !bareLf && !bareCr && !tooLong;
  }

  /**
   * Whether the content is well-formed UTF-8 (ASCII is). {@link #text} turns malformed bytes into
   * U+FFFD, which must not pass for what the client sent.
   */
  public boolean isUtf8() {
    for (byte b : content) {
      if (b < 0) {
        try {
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content));
          return true;
        } catch (CharacterCodingException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** The content as text; commands are ASCII, or UTF-8 with SMTPUTF8 (RFC 6531). */
  public String text() {
    return new String(content, StandardCharsets.UTF_8);
  }

  /** A clean line, for tests and for code that builds input. */
  public static SmtpLine of(String text) {
    return new SmtpLine(text.getBytes(StandardCharsets.UTF_8), false, false, false);
  }
}
