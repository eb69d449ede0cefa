package dev.sluice.relay.smtp.in;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One accepted message as the session hands it to the spool.
 *
 * @param sender the reverse-path, empty for the null sender
 * @param mailParameters the MAIL FROM parameters (SIZE, BODY, SMTPUTF8, RET, ENVID)
 * @param recipients the accepted recipients with their RCPT parameters (NOTIFY, ORCPT)
 * @param body the message with CRLF endings, dot-stuffing undone, no trace header added yet
 * @param client who sent it
 */
public record Transaction(
    String sender,
    Map<String, String> mailParameters,
    List<Recipient> recipients,
    byte[] body,
    ClientInfo client) {
  public Transaction {
    Objects.requireNonNull(sender, "sender");
    mailParameters = Map.copyOf(mailParameters);
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(client, "client");
  }

  /** One RCPT TO that was accepted. */
  public record Recipient(String address, Map<String, String> parameters) {
    public Recipient {
      Objects.requireNonNull(address, "address");
      parameters = Map.copyOf(parameters);
    }
  }
}
