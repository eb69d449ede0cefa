package dev.sluice.relay.server;

import dev.sluice.relay.auth.AuthThrottle;
import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.smtp.in.Authenticator;
import java.util.function.Supplier;

/**
 * The authenticator listeners use: the tenant directory behind a per-client-IP failure throttle.
 */
final class AuthGuard implements Authenticator {
  private final Supplier<TenantDirectory> tenants;
  private final AuthThrottle throttle;

  /**
   * @param tenants the tenants of the policy in force, asked at every login
   */
  AuthGuard(Supplier<TenantDirectory> tenants, AuthThrottle throttle) {
    this.tenants = tenants;
    this.throttle = throttle;
  }

  @Override
  public Outcome check(String clientAddress, String username, String password) {
    if (!throttle.tryAttempt(clientAddress)) {
      return new Outcome.Throttled();
    }
    return tenants
        .get()
        .tenantOf(username, password)
        .<Outcome>map(
            tenant -> {
              throttle.succeeded(clientAddress);
              return new Outcome.Accepted(tenant);
            })
        .orElseGet(Outcome.Rejected::new);
  }
}
