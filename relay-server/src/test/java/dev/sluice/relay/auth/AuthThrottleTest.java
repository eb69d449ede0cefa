package dev.sluice.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(15), clock);

  @Test
  void refusesAnAddressAfterRepeatedFailuresUntilTheWindowPasses() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.tryAttempt("192.0.2.9")).isTrue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(throttle.tryAttempt("192.0.2.9")).isFalse();
    assertThat(throttle.tryAttempt("192.0.2.10")).isTrue();
    clock.advance(Duration.ofMinutes(14));
    assertThat(throttle.tryAttempt("192.0.2.9"))
        .as("15 minutes after the first failure, but not after the last")
        .isFalse();
    clock.advance(Duration.ofMinutes(2));
    assertThat(throttle.tryAttempt("192.0.2.9")).isTrue();
  }

  @Test
  void anIpv6ClientCannotEscapeByTakingANewAddressFromItsSlash64() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.tryAttempt("2001:db8:1:2::" + (i + 1))).isTrue();
    }
    assertThat(throttle.tryAttempt("2001:db8:1:2:ffff::9")).as("same /64").isFalse();
    assertThat(throttle.tryAttempt("2001:db8:1:3::1")).as("another /64").isTrue();
    throttle.succeeded("2001:db8:1:2::77");
    assertThat(throttle.tryAttempt("2001:db8:1:2::1")).isTrue();
  }

  @Test
  void attemptsInFlightCountAsFailuresSoParallelConnectionsGainNothing() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.tryAttempt("192.0.2.9")).as("attempt %d, not yet decided", i).isTrue();
    }
    assertThat(throttle.tryAttempt("192.0.2.9")).isFalse();
    throttle.succeeded("192.0.2.9");
    assertThat(throttle.tryAttempt("192.0.2.9")).isTrue();
  }

  @Test
  void expiredAddressesAreForgottenOnceTheTableHasDoubled() {
    for (int i = 0; i < 1500; i++) {
      throttle.tryAttempt("10.0." + (i >> 8) + "." + (i & 255));
    }
    assertThat(throttle.tracked()).isEqualTo(1500);
    clock.advance(Duration.ofMinutes(16));
    for (int i = 0; i < 600; i++) {
      throttle.tryAttempt("10.9." + (i >> 8) + "." + (i & 255));
    }
    assertThat(throttle.tracked()).as("the 1500 expired addresses are gone").isEqualTo(600);
  }
}
