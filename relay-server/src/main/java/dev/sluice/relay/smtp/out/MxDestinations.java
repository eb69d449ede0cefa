package dev.sluice.relay.smtp.out;

import dev.sluice.relay.queue.DestinationResolver;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * MX rollup: a domain the routes do not name belongs to the destination whose {@code mx_suffixes}
 * match its most preferred MX host, so every domain hosted at Google shares Gmail's limits. The
 * lookup is the one delivery makes anyway; the resolver's cache serves both.
 */
public final class MxDestinations implements DestinationResolver {
  private final MxResolver mx;
  private final Supplier<Router> router;

  /**
   * @param router the router in force, asked at every lookup
   */
  public MxDestinations(MxResolver mx, Supplier<Router> router) {
    this.mx = mx;
    this.router = router;
  }

  @Override
  public CompletableFuture<String> destinationOf(
      MemberConfig member, String domain, String byDomain) {
    if (member.relay().isPresent() || !byDomain.equals(DestinationConfig.DEFAULT)) {
      return CompletableFuture.completedFuture(byDomain);
    }
    return mx.resolveMx(domain)
        .thenApply(
            r ->
                r instanceof MxResult.Hosts hosts && !hosts.implicit()
                    ? router.get().destinationOfMxHost(hosts.hosts().get(0).name())
                    : byDomain);
  }
}
