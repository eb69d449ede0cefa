package dev.sluice.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.traffic.LocalTrafficStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final LocalTrafficStore store = new LocalTrafficStore();
  private final AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(15), store, clock);

  @Test
  void refusesAnAddressAfterRepeatedFailuresUntilTheWindowPasses() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.tryAttempt("192.0.2.9")).isTrue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(throttle.tryAttempt("192.0.2.9")).isFalse();
    assertThat(throttle.tryAttempt("192.0.2.10")).isTrue();
    clock.advance(Duration.ofMinutes(13));
    assertThat(throttle.tryAttempt("192.0.2.9"))
        .as("16 minutes after the first failure, but 14 after the last")
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
  void nodesSharingAStoreShareOneAllowance() {
    AuthThrottle otherNode = new AuthThrottle(3, Duration.ofMinutes(15), store, clock);
    assertThat(throttle.tryAttempt("192.0.2.9")).isTrue();
    assertThat(otherNode.tryAttempt("192.0.2.9")).isTrue();
    assertThat(throttle.tryAttempt("192.0.2.9")).isTrue();
    assertThat(otherNode.tryAttempt("192.0.2.9")).as("the 4th guess, on the other node").isFalse();
    otherNode.succeeded("192.0.2.9");
    assertThat(throttle.tryAttempt("192.0.2.9")).as("a success anywhere clears it").isTrue();
  }

  @Test
  void refusedAttemptsNeitherCountNorExtendTheLock() {
    for (int i = 0; i < 3; i++) {
      throttle.tryAttempt("192.0.2.9");
    }
    for (int i = 0; i < 14; i++) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(throttle.tryAttempt("192.0.2.9")).isFalse();
    }
    clock.advance(Duration.ofMinutes(2));
    assertThat(throttle.tryAttempt("192.0.2.9"))
        .as("15 minutes after the last failure let through, though refused a minute ago")
        .isTrue();
  }

  @Test
  void expiredAddressesAreForgottenByTheStore() {
    for (int i = 0; i < 1500; i++) {
      throttle.tryAttempt("10.0." + (i >> 8) + "." + (i & 255));
    }
    assertThat(store.size()).isEqualTo(1500);
    clock.advance(Duration.ofMinutes(16));
    for (int i = 0; i < 3000; i++) {
      throttle.tryAttempt("10.9.0.1");
    }
    assertThat(store.size()).as("the 1500 expired addresses are gone").isEqualTo(1);
  }
}
