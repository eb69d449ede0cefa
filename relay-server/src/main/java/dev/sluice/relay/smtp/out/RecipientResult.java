package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.outcome.Stage;
import java.util.Objects;

/**
 * How one recipient of a transaction ended.
 *
 * @param stage where it was decided: {@link Stage#RCPT} when RCPT refused it, {@link
 *     Stage#DATA_END} when the final reply decided it, {@link Stage#MAIL} or {@link Stage#DATA}
 *     when the transaction failed before
 * @param reply the server's reply at that stage (or the client's own, e.g. 550 5.6.7 when the
 *     server cannot take SMTPUTF8 mail)
 */
public record RecipientResult(SpoolRecipient recipient, Stage stage, SmtpReply reply) {
  public RecipientResult {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reply, "reply");
  }
}
