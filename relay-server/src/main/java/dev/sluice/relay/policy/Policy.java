package dev.sluice.relay.policy;

import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.traffic.Suspension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One routing policy in force: routes.yaml as loaded, the operator overrides on top of it, and what
 * the server builds from both. Immutable; a reload or an override change makes the next one.
 *
 * @param file the routes.yaml it came from; empty for the built-in default policy
 * @param loadedAt when the file was loaded (an override change keeps it)
 * @param configured the policy as the file says
 * @param router routes by the policy with the overridden weights in place
 * @param tenants who may log in, as the file says
 */
public record Policy(
    Optional<Path> file,
    Instant loadedAt,
    RoutesConfig configured,
    Overrides overrides,
    Router router,
    TenantDirectory tenants) {
  public Policy {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(loadedAt, "loadedAt");
    Objects.requireNonNull(configured, "configured");
    Objects.requireNonNull(overrides, "overrides");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(tenants, "tenants");
  }

  static Policy of(Optional<Path> file, Instant loadedAt, RoutesConfig configured, Overrides o) {
    return new Policy(
        file,
        loadedAt,
        configured,
        o,
        new Router(o.applyTo(configured)),
        new TenantDirectory(configured));
  }

  /** The same file with other overrides. */
  Policy withOverrides(Overrides next) {
    return new Policy(
        file, loadedAt, configured, next, new Router(next.applyTo(configured)), tenants);
  }

  /** The policy as it routes: the file with the overridden weights. */
  public RoutesConfig routes() {
    return router.config();
  }

  /** The operator suspensions traffic control holds under this policy. */
  public List<Suspension> holds() {
    return overrides.holds(configured);
  }

  /** Overridden members this policy does not have. */
  public List<String> unknownOverrides() {
    return overrides.unknownIn(configured);
  }

  /** Whether the policy has a member of that name, in any pool. */
  public boolean hasMember(String member) {
    return Overrides.memberNames(configured).contains(member);
  }
}
