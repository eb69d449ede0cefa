package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionRateTest {
  private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

  private ConnectionRate rate(String rate) {
    return new ConnectionRate(
        Optional.of(Rate.parse(rate)), List.of(Cidr.parse("10.0.0.0/8")), clock);
  }

  @Test
  void anAddressGetsABurstOfTheCountThenOneConnectionPerShareOfThePeriod() {
    ConnectionRate limit = rate("3/min");
    for (int i = 0; i < 3; i++) {
      assertThat(limit.admit("192.0.2.1")).as("connection %d", i + 1).isTrue();
    }
    assertThat(limit.admit("192.0.2.1")).isFalse();
    assertThat(limit.admit("192.0.2.2")).as("another address").isTrue();

    clock.advance(Duration.ofSeconds(19));
    assertThat(limit.admit("192.0.2.1")).as("a third of a minute is not over").isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limit.admit("192.0.2.1")).as("one connection refilled").isTrue();
    assertThat(limit.admit("192.0.2.1")).isFalse();
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64() {
    ConnectionRate limit = rate("2/hour");
    assertThat(limit.admit("2001:db8:1:2::1")).isTrue();
    assertThat(limit.admit("2001:db8:1:2::2")).isTrue();
    assertThat(limit.admit("2001:db8:1:2:abcd::3")).as("same /64").isFalse();
    assertThat(limit.admit("2001:db8:1:3::1")).as("another /64").isTrue();
  }

  @Test
  void refusedConnectionsCostNothingAndAFullMinuteRefillsTheBurstButNoMore() {
    ConnectionRate limit = rate("2/min");
    limit.admit("192.0.2.1");
    limit.admit("192.0.2.1");
    for (int i = 0; i < 10; i++) {
      assertThat(limit.admit("192.0.2.1")).isFalse();
    }
    clock.advance(Duration.ofMinutes(5));
    assertThat(limit.admit("192.0.2.1")).isTrue();
    assertThat(limit.admit("192.0.2.1")).isTrue();
    assertThat(limit.admit("192.0.2.1")).isFalse();
  }

  @Test
  void trustedNetworksAndAMissingRateAreNeverLimited() {
    ConnectionRate limit = rate("1/hour");
    for (int i = 0; i < 100; i++) {
      assertThat(limit.admit("10.1.2.3")).isTrue();
    }
    ConnectionRate none = ConnectionRate.unlimited();
    for (int i = 0; i < 100; i++) {
      assertThat(none.admit("192.0.2.1")).isTrue();
    }
    assertThat(limit.tracked()).isZero();
  }

  @Test
  void addressesWhoseBucketIsFullAgainAreForgottenWhenTheTableGrows() {
    ConnectionRate limit = rate("5/min");
    for (int i = 0; i < 1000; i++) {
      limit.admit("198.51." + (i / 256) + "." + (i % 256));
    }
    assertThat(limit.tracked()).isEqualTo(1000);
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 30; i++) {
      limit.admit("203.0.113." + i);
    }
    assertThat(limit.tracked()).as("the full buckets were swept").isEqualTo(30);
  }
}
