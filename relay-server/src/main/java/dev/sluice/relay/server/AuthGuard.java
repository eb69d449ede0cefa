package dev.sluice.relay.server;

import dev.sluice.relay.auth.AuthThrottle;
import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.smtp.in.Authenticator;

/**
 * The authenticator listeners use: the tenant directory behind a per-client-IP failure throttle.
 */
final class AuthGuard implements Authenticator {
  private final TenantDirectory tenants;
  private final AuthThrottle throttle;

  AuthGuard(TenantDirectory tenants, AuthThrottle throttle) {
    this.tenants = tenants;
    this.throttle = throttle;
  }

  @Override
  public Outcome check(String clientAddress, String username, String password) {
    if (!throttle.allowed(clientAddress)) {
      return new Outcome.Throttled();
    }
    return tenants
        .tenantOf(username, password)
        .<Outcome>map(
            tenant -> {
              throttle.succeeded(clientAddress);
              return new Outcome.Accepted(tenant);
            })
        .orElseGet(
            () -> {
              throttle.failed(clientAddress);
              return new Outcome.Rejected();
            });
  }
}
