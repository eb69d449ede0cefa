package dev.sluice.relay.server;

import dev.sluice.relay.auth.AuthThrottle;
import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventSink;
import dev.sluice.relay.smtp.in.Authenticator;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The authenticator listeners use: the tenant directory behind a per-client-IP failure throttle.
 * Every refused attempt is an {@code auth_failed} event (client, user name tried, whether the
 * password was wrong or not even checked), so password guessing shows in the log, the metrics and
 * webhooks; the password never does.
 */
final class AuthGuard implements Authenticator {
  /** A user name is logged up to this many characters: a guesser controls it. */
  static final int LOGGED_USERNAME_CHARS = 256;

  private final Supplier<TenantDirectory> tenants;
  private final AuthThrottle throttle;
  private final EventSink events;
  private final Clock clock;

  /**
   * @param tenants the tenants of the policy in force, asked at every login
   */
  AuthGuard(
      Supplier<TenantDirectory> tenants, AuthThrottle throttle, EventSink events, Clock clock) {
    this.tenants = tenants;
    this.throttle = throttle;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Outcome check(String clientAddress, String username, String password) {
    if (!throttle.tryAttempt(clientAddress)) {
      events.accept(failed(clientAddress, username, "throttled"));
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
        .orElseGet(
            () -> {
              events.accept(failed(clientAddress, username, "rejected"));
              return new Outcome.Rejected();
            });
  }

  private Event failed(String clientAddress, String username, String result) {
    return Event.of("auth_failed", clock.instant())
        .with("client", clientAddress)
        .with(
            "username",
            username.length() > LOGGED_USERNAME_CHARS
                ? username.substring(0, LOGGED_USERNAME_CHARS)
                : username)
        .with("result", result)
        .build();
  }
}
