package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.relay.auth.AuthThrottle;
import dev.sluice.relay.auth.PasswordHashes;
import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.events.Event;
import dev.sluice.relay.smtp.in.Authenticator.Outcome;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.testing.Policies;
import dev.sluice.routing.traffic.LocalTrafficStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthGuardTest {
  /** Tenant acme with one user, {@code app}, whose password is {@code right}. */
  private static TenantDirectory appWithPasswordRight() {
    return new TenantDirectory(
        Policies.parse(
            """
            pools: { p: { members: [ { name: m } ] } }
            tenants: { acme: { users: [ { username: app, password_hash: "HASH" } ] } }
            rules: [ { name: all, route: { pool: p } } ]
            """
                .replace("HASH", PasswordHashes.bcrypt("right".toCharArray()))));
  }

  @Test
  void repeatedFailuresFromOneAddressAreThrottledWithoutCheckingThePassword() {
    TenantDirectory tenants = appWithPasswordRight();
    MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    AuthGuard guard =
        new AuthGuard(
            () -> tenants,
            new AuthThrottle(2, Duration.ofMinutes(15), new LocalTrafficStore(), clock),
            e -> {},
            clock);

    assertThat(guard.check("192.0.2.1", "app", "right")).isEqualTo(new Outcome.Accepted("acme"));
    assertThat(guard.check("192.0.2.1", "app", "wrong")).isEqualTo(new Outcome.Rejected());
    assertThat(guard.check("192.0.2.1", "nobody", "x")).isEqualTo(new Outcome.Rejected());
    assertThat(guard.check("192.0.2.1", "app", "right"))
        .as("even the right password")
        .isEqualTo(new Outcome.Throttled());
    assertThat(guard.check("192.0.2.2", "app", "right")).isEqualTo(new Outcome.Accepted("acme"));
    clock.advance(Duration.ofMinutes(16));
    assertThat(guard.check("192.0.2.1", "app", "right")).isEqualTo(new Outcome.Accepted("acme"));
  }

  @Test
  void everyRefusedAttemptIsAnAuthFailedEventWithoutThePassword() {
    TenantDirectory tenants = appWithPasswordRight();
    MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    List<Event> events = new ArrayList<>();
    AuthGuard guard =
        new AuthGuard(
            () -> tenants,
            new AuthThrottle(1, Duration.ofMinutes(15), new LocalTrafficStore(), clock),
            events::add,
            clock);

    guard.check("192.0.2.1", "app", "right");
    guard.check("192.0.2.7", "app", "guess-1");
    guard.check("192.0.2.7", "x".repeat(1000), "guess-2");

    assertThat(events)
        .extracting(Event::type, e -> e.text("client"), e -> e.text("result"))
        .containsExactly(
            tuple("auth_failed", "192.0.2.7", "rejected"),
            tuple("auth_failed", "192.0.2.7", "throttled"));
    assertThat(events.get(0).text("username")).isEqualTo("app");
    assertThat(events.get(1).text("username")).isEqualTo("x".repeat(256));
    assertThat(events.get(0).at()).isEqualTo(clock.instant());
    assertThat(events).allSatisfy(e -> assertThat(e.toMap().toString()).doesNotContain("guess"));
  }
}
