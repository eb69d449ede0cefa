package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.routing.outcome.Stage;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An outbound session could not go on: connection refused or lost, a timeout, a TLS failure, or a
 * refusal before any transaction (greeting, EHLO, STARTTLS, AUTH). The message starts with the
 * connection, as {@code [127.0.0.2→mx1.example.net[127.0.0.9]:25] EHLO: 421 4.3.2 busy}.
 */
public final class OutboundException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Stage stage;
  private final transient SmtpReply reply;

  public OutboundException(Stage stage, SmtpReply reply, String message, Throwable cause) {
    super(message, cause);
    this.stage = Objects.requireNonNull(stage, "stage");
    this.reply = reply;
  }

  /**
   * Where it failed. {@link Stage#DATA_END} means the final dot was sent: the outcome is unknown.
   */
  public Stage stage() {
    return stage;
  }

  /** The server's reply that ended the session, when there was one. */
  public Optional<SmtpReply> reply() {
    return Optional.ofNullable(reply);
  }
}
