package dev.sluice.relay.smtp.out;

import java.util.List;

/**
 * The outcome of one transaction on an open connection: one result per recipient, in the order of
 * the {@link OutboundMessage}.
 */
public record TransactionResult(List<RecipientResult> recipients) {
  public TransactionResult {
    recipients = List.copyOf(recipients);
  }
}
