package dev.sluice.routing;

import dev.sluice.routing.rules.DomainSet;
import java.util.Objects;
import java.util.Optional;

/**
 * What routing knows of one message for one recipient: a message with several recipients is routed
 * once per recipient, because each may take another path.
 *
 * @param sender the envelope sender ({@code MAIL FROM}); empty for the null sender {@code <>}
 * @param recipient the envelope recipient ({@code RCPT TO})
 * @param headers the message headers routing may read (routing header, message type, priority)
 * @param tenant the tenant the ingress identified (e.g. from SMTP AUTH), or empty to let the router
 *     resolve it from the client network or sender domain
 * @param clientAddress the submitting client's IP address literal, or empty
 */
public record Envelope(
    String sender,
    String recipient,
    Headers headers,
    Optional<String> tenant,
    Optional<String> clientAddress) {
  public Envelope {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(recipient, "recipient");
    headers = headers == null ? Headers.NONE : headers;
    tenant = tenant == null ? Optional.empty() : tenant;
    clientAddress = clientAddress == null ? Optional.empty() : clientAddress;
  }

  /** The recipient's domain, normalised as {@link #domainOf}; empty if the address has none. */
  public String recipientDomain() {
    return domainOf(recipient);
  }

  /** The sender's domain, normalised as {@link #domainOf}; empty for the null sender. */
  public String senderDomain() {
    return domainOf(sender);
  }

  /**
   * The domain of an address as routes.yaml domains are compared: lower-case A-labels ({@code
   * xn--…}), without a trailing dot (see {@link DomainSet#normalize}); empty if it has none.
   */
  public static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : DomainSet.normalize(address.substring(at + 1));
  }
}
