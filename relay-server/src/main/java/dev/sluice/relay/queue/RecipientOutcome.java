package dev.sluice.relay.queue;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import java.util.Objects;

/**
 * How one recipient of an {@link Attempt} ended. {@link Disposition#NEXT_HOST} here means every
 * host of the member was tried: the scheduler fails over to the next member.
 *
 * @param host the host that gave the reply ("mx1.example.net[127.0.0.9]"), or empty
 * @param dsnPassedOn whether the DSN parameters went on to a server that supports DSN (RFC 3461 §4:
 *     then that server reports success, not us)
 */
public record RecipientOutcome(
    SpoolRecipient recipient,
    Disposition disposition,
    Stage stage,
    SmtpReply reply,
    String host,
    boolean dsnPassedOn) {
  public RecipientOutcome {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(host, "host");
  }

  /** {@code mx1.example.net[127.0.0.9]: 451 4.7.1 greylisted}, for logs and the spool. */
  public String describe() {
    return (host.isEmpty() ? "" : host + ": ") + reply;
  }
}
