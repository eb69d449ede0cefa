package dev.sluice.relay.queue;

import dev.sluice.routing.config.MemberConfig;
import java.util.concurrent.CompletableFuture;

/**
 * The destination whose limits apply to a recipient domain, once its MX is known: a domain the
 * routes do not name can still belong to a provider by its MX host ({@code .google.com}), as
 * KumoMTA's sites do.
 */
@FunctionalInterface
public interface DestinationResolver {
  /** Takes the router's destination as it is. */
  DestinationResolver BY_DOMAIN =
      (member, domain, byDomain) -> CompletableFuture.completedFuture(byDomain);

  /**
   * The destination of {@code domain} for delivery through {@code member}; {@code byDomain} is what
   * the routes say from the domain alone. Completes normally, with {@code byDomain} when DNS cannot
   * tell.
   */
  CompletableFuture<String> destinationOf(MemberConfig member, String domain, String byDomain);
}
