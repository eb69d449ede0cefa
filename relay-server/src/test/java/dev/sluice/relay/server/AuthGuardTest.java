package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.auth.AuthThrottle;
import dev.sluice.relay.auth.PasswordHashes;
import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.smtp.in.Authenticator.Outcome;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.testing.Policies;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthGuardTest {
  @Test
  void repeatedFailuresFromOneAddressAreThrottledWithoutCheckingThePassword() {
    String hash = PasswordHashes.bcrypt("right".toCharArray());
    TenantDirectory tenants =
        new TenantDirectory(
            Policies.parse(
                """
                pools: { p: { members: [ { name: m } ] } }
                tenants: { acme: { users: [ { username: app, password_hash: "HASH" } ] } }
                rules: [ { name: all, route: { pool: p } } ]
                """
                    .replace("HASH", hash)));
    MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    AuthGuard guard =
        new AuthGuard(() -> tenants, new AuthThrottle(2, Duration.ofMinutes(15), clock));

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
}
