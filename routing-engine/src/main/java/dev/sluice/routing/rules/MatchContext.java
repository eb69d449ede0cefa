package dev.sluice.routing.rules;

import dev.sluice.routing.Headers;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The facts a rule is matched against, each worked out once per decision.
 *
 * @param recipient the recipient address as given
 * @param recipientDomain recipient domain, normalised ({@link DomainSet#normalize})
 * @param senderDomain sender domain, normalised, empty for the null sender
 * @param destination the destination the recipient domain belongs to
 * @param messageType the message type from its header, or the default
 * @param priority the message priority from its header, if valid
 * @param tenant the resolved tenant, if any
 * @param clientAddress the client's IP address literal, if known
 * @param now the instant of the decision
 */
public record MatchContext(
    String recipient,
    String recipientDomain,
    String senderDomain,
    String destination,
    String messageType,
    OptionalInt priority,
    Optional<String> tenant,
    Optional<String> clientAddress,
    Headers headers,
    Instant now) {
  public MatchContext {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(recipientDomain, "recipientDomain");
    Objects.requireNonNull(senderDomain, "senderDomain");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(messageType, "messageType");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(now, "now");
  }
}
