package dev.sluice.relay.smtp.out;

/** The server sent something that is not an SMTP reply (RFC 5321 §4.2): a protocol error. */
final class MalformedReplyException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedReplyException(String message) {
    super(message);
  }
}
