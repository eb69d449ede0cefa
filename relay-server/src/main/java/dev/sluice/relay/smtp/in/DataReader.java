package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import java.io.ByteArrayOutputStream;

/**
 * Collects the lines of a DATA transfer into a message body: undoes dot-stuffing (RFC 5321 §4.5.2),
 * stores CRLF line endings, enforces the size limit, and finds the end.
 *
 * <p>The end is {@code CRLF . CRLF} and nothing else: a "." line only ends DATA when the line
 * before it ended with CRLF and it ends with CRLF itself. So {@code <LF>.<LF>}, {@code
 * <LF>.<CR><LF>}, {@code <CR>.<CR>} and {@code <CR><CR><LF>} never end a message early; and any
 * bare CR or LF makes the whole message refused at its true end, so that nothing a smuggler put
 * after a fake end is ever taken as a command or as another message. Not thread-safe: one per
 * transaction.
 */
public final class DataReader {
  private final long maxSize;
  private final int maxLine;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
  private boolean previousEndedWithCrlf = true; // the DATA command line itself ended with CRLF
  private boolean badNewline;
  private boolean lineTooLong;
  private long size;

  /**
   * @param maxSize the largest body accepted, in bytes (the SIZE announced in EHLO)
   * @param maxLine the longest line accepted, in bytes without its CRLF, leading dot included
   */
  public DataReader(long maxSize, int maxLine) {
    this.maxSize = maxSize;
    this.maxLine = maxLine;
  }

  /** Takes one line; true when it was the end of the data. */
  public boolean accept(SmtpLine line) {
    byte[] content = line.content();
    if (!line.bareLf()
        && previousEndedWithCrlf
        && content.length == 1
        && content[0] == '.'
        && !line.bareCr()) {
      return true;
    }
    previousEndedWithCrlf = !line.bareLf();
    badNewline |= line.bareLf() || line.bareCr();
    lineTooLong |= line.longerThan(maxLine);
    int skip = content.length > 0 && content[0] == '.' ? 1 : 0; // §4.5.2: remove one leading dot
    size += content.length - skip + 2;
    if (size <= maxSize) {
      body.write(content, skip, content.length - skip);
      body.write('\r');
      body.write('\n');
    }
    return false;
  }

  /** The body once the end was seen, or the reply that refuses it. */
  public Outcome outcome() {
    if (badNewline) {
      return new Outcome(
          null, SmtpReply.of(550, "5.6.11", "Bare CR or LF in message; lines must end with CRLF"));
    }
    if (size > maxSize) {
      return new Outcome(
          null, SmtpReply.of(552, "5.3.4", "Message too big: the limit is " + maxSize + " bytes"));
    }
    if (lineTooLong) {
      return new Outcome(
          null, SmtpReply.of(550, "5.6.0", "Line too long (RFC 5321 section 4.5.3.1.6)"));
    }
    return new Outcome(body.toByteArray(), null);
  }

  /** Bytes of body seen so far (counted even past the limit). */
  public long size() {
    return size;
  }

  /**
   * Either a body or a refusal.
   *
   * @param body the message with CRLF line endings and dot-stuffing undone, or null
   * @param refusal the reply refusing the message, or null
   */
  public record Outcome(byte[] body, SmtpReply refusal) {
    public boolean accepted() {
      return refusal == null;
    }
  }
}
