package dev.sluice.relay.queue;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.routing.config.RouteAction.DkimPolicy;
import java.nio.ByteBuffer;

/**
 * Makes the text an attempt sends from the spooled text: signed with DKIM when the rule asks for it
 * and a key exists, or refused when the rule requires a signature that cannot be made.
 */
@FunctionalInterface
public interface BodyPreparer {
  /** Sends the spooled text unchanged, whatever the rule says: for tests of scheduling alone. */
  BodyPreparer AS_IS = (entry, body, dkim) -> new Ready(body);

  Prepared prepare(SpoolEntry entry, ByteBuffer body, DkimPolicy dkim);

  /** What the attempt gets. */
  sealed interface Prepared permits Ready, Refused {}

  /** The text to send. */
  record Ready(ByteBuffer body) implements Prepared {}

  /** No text can be sent now: the recipients are deferred with {@code reply}. */
  record Refused(SmtpReply reply) implements Prepared {}
}
