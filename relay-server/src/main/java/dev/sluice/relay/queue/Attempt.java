package dev.sluice.relay.queue;

import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RouteAction;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One try to hand some recipients of one message to one member.
 *
 * @param destination the destination whose limits apply
 * @param domain the recipient domain whose MX to use (direct members); empty for relay members,
 *     which take every domain
 * @param body the message text to send (DKIM signature included when the rule asks for one)
 */
public record Attempt(
    MessageId id,
    SpoolEnvelope envelope,
    MemberConfig member,
    String destination,
    Optional<String> domain,
    List<SpoolRecipient> recipients,
    ByteBuffer body,
    RouteAction route) {
  public Attempt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(destination, "destination");
    recipients = List.copyOf(recipients);
    body = body.asReadOnlyBuffer();
  }
}
