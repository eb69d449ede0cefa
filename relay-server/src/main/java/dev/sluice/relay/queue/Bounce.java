package dev.sluice.relay.queue;

import java.util.Objects;
import java.util.Optional;

/**
 * A recipient that will not be delivered: refused permanently, refused by the policy, or expired.
 *
 * @param tenant the tenant the message was routed for (the suppression list is per tenant)
 * @param expired whether it outlived the queue rather than being refused
 */
public record Bounce(RecipientOutcome outcome, Optional<String> tenant, boolean expired) {
  public Bounce {
    Objects.requireNonNull(outcome, "outcome");
    tenant = tenant == null ? Optional.empty() : tenant;
  }
}
