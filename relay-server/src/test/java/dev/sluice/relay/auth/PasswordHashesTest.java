package dev.sluice.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.TenantUser;
import dev.sluice.routing.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {
  @Test
  void bcryptHashesVerifyTheirPasswordOnly() {
    String hash = PasswordHashes.bcrypt("s3cret".toCharArray());
    assertThat(hash).startsWith("$2b$12$");
    assertThat(TenantUser.isSupportedHash(hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret".toCharArray(), hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret!".toCharArray(), hash)).isFalse();
  }

  @Test
  void argon2idHashesVerifyTheirPasswordOnly() {
    String hash = PasswordHashes.argon2id("s3cret".toCharArray());
    assertThat(hash).startsWith("$argon2id$v=19$m=65536,t=3,p=4$");
    assertThat(TenantUser.isSupportedHash(hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret".toCharArray(), hash)).isTrue();
    assertThat(PasswordHashes.matches("S3cret".toCharArray(), hash)).isFalse();
  }

  @Test
  void unreadableHashesNeverMatch() {
    assertThat(PasswordHashes.matches("x".toCharArray(), "plain")).isFalse();
    assertThat(PasswordHashes.matches("x".toCharArray(), "$2b$12$short")).isFalse();
  }

  @Test
  void throttleRefusesAnAddressAfterRepeatedFailuresUntilTheWindowPasses() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(15), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.allowed("192.0.2.9")).isTrue();
      throttle.failed("192.0.2.9");
    }
    assertThat(throttle.allowed("192.0.2.9")).isFalse();
    assertThat(throttle.allowed("192.0.2.10")).isTrue();
    clock.advance(Duration.ofMinutes(16));
    assertThat(throttle.allowed("192.0.2.9")).isTrue();
    throttle.failed("192.0.2.9");
    throttle.succeeded("192.0.2.9");
    assertThat(throttle.allowed("192.0.2.9")).isTrue();
  }
}
