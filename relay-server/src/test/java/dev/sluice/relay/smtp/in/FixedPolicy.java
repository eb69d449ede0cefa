package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import java.util.Optional;

/** A session policy with a fixed spool state that refuses no sender or recipient. */
record FixedPolicy(boolean available, boolean accepting) implements SessionPolicy {
  @Override
  public Optional<SmtpReply> checkSender(ClientInfo client, String sender) {
    return Optional.empty();
  }

  @Override
  public Optional<SmtpReply> checkRecipient(ClientInfo client, String sender, String recipient) {
    return Optional.empty();
  }
}
