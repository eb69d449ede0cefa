package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.routing.outcome.Stage;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * An outbound session could not go on: connection refused or lost, a timeout, a TLS failure, or a
 * refusal before any transaction (greeting, EHLO, STARTTLS, AUTH). The message starts with the
 * connection, as {@code [127.0.0.2→mx1.example.net[127.0.0.9]:25] EHLO: 421 4.3.2 busy}.
 */
public final class OutboundException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Stage stage;
  private final transient SmtpReply reply;
  private final transient List<RecipientResult> decided;

  public OutboundException(Stage stage, SmtpReply reply, String message, Throwable cause) {
    this(stage, reply, message, cause, List.of());
  }

  private OutboundException(
      Stage stage,
      SmtpReply reply,
      String message,
      Throwable cause,
      List<RecipientResult> decided) {
    super(message, cause);
    this.stage = Objects.requireNonNull(stage, "stage");
    this.reply = reply;
    this.decided = List.copyOf(decided);
  }

  /** This failure, for a transaction that had already settled {@code decided} when it broke. */
  OutboundException afterDecided(List<RecipientResult> decided) {
    return new OutboundException(stage, reply, getMessage(), this, decided);
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

  /** Whether the server stopped answering (or taking the text) within its timeout. */
  public boolean timedOut() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The recipients whose outcome the server (or the client's own checks) had settled before the
   * transaction broke, such as a 550 to RCPT: they keep that outcome. Empty outside a transaction.
   */
  public List<RecipientResult> decided() {
    return decided;
  }
}
