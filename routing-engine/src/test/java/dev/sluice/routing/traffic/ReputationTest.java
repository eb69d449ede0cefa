package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.routing.config.ReputationSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReputationTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  // steps of one hour (window / 24); 0.05 at most per hour
  private final Reputation reputation =
      new Reputation(
          new ReputationSettings(Duration.ofHours(24), 10, 0.02, 0.10, 0.001, 0.005, 0.25, 0.05));

  @Test
  void aMemberNeverSeenKeepsItsWeight() {
    assertThat(reputation.factor("ip-1", T0)).isEqualTo(1);
  }

  @Test
  void ratesDoNotCountBelowMinAttempts() {
    record(0, 5, 0);
    assertThat(reputation.factor("ip-1", T0.plus(Duration.ofHours(10)))).isEqualTo(1);
  }

  @Test
  void aBadBounceRateLowersTheFactorStepByStepToTheMinimum() {
    record(90, 10, 0);
    assertThat(reputation.factor("ip-1", T0)).isEqualTo(1);
    assertThat(at(Duration.ofMinutes(30))).isCloseTo(0.975, within(1e-9));
    assertThat(at(Duration.ofHours(1))).isCloseTo(0.95, within(1e-9));
    assertThat(at(Duration.ofHours(15))).isCloseTo(0.25, within(1e-9));
    assertThat(at(Duration.ofHours(20))).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void aRateBetweenGoodAndBadCostsInProportion() {
    record(94, 6, 0); // 6%: halfway from 2% to 10%
    assertThat(at(Duration.ofHours(20))).isCloseTo(0.625, within(1e-9));
  }

  @Test
  void theWorseOfBounceAndComplaintRatesDecides() {
    record(400, 0, 1); // 0.25% complaints: 37.5% of the way from good to bad
    assertThat(at(Duration.ofHours(20))).isCloseTo(1 - 0.375 * 0.75, within(1e-9));
  }

  @Test
  void theFactorClimbsBackGraduallyOnceTheBouncesAgeOut() {
    record(90, 10, 0);
    assertThat(at(Duration.ofHours(23))).isCloseTo(0.25, within(1e-9));
    assertThat(at(Duration.ofHours(24))).isCloseTo(0.30, within(1e-9));
    assertThat(at(Duration.ofHours(25))).isCloseTo(0.35, within(1e-9));
  }

  private double at(Duration elapsed) {
    return reputation.factor("ip-1", T0.plus(elapsed));
  }

  private void record(int delivered, int bounced, int complained) {
    for (int i = 0; i < delivered; i++) {
      reputation.delivered("ip-1", T0);
    }
    for (int i = 0; i < bounced; i++) {
      reputation.bounced("ip-1", T0);
    }
    for (int i = 0; i < complained; i++) {
      reputation.complained("ip-1", T0);
    }
  }
}
