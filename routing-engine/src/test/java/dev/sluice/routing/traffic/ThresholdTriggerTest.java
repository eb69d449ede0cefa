package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ResponseRule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThresholdTriggerTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private final ThresholdTrigger trigger =
      new ThresholdTrigger(new ResponseRule.Threshold(3, Duration.ofMinutes(5)));

  @Test
  void firesAtTheCountThHitWithinThePeriodThenStartsAfresh() {
    assertThat(trigger.hit("ip-1", T0)).isFalse();
    assertThat(trigger.hit("ip-1", T0.plusSeconds(60))).isFalse();
    assertThat(trigger.hit("ip-1", T0.plusSeconds(120))).isTrue();
    assertThat(trigger.hit("ip-1", T0.plusSeconds(130))).isFalse();
    assertThat(trigger.hit("ip-1", T0.plusSeconds(140))).isFalse();
    assertThat(trigger.hit("ip-1", T0.plusSeconds(150))).isTrue();
  }

  @Test
  void hitsOlderThanThePeriodDoNotCount() {
    trigger.hit("ip-1", T0);
    trigger.hit("ip-1", T0.plus(Duration.ofMinutes(3)));
    assertThat(trigger.hit("ip-1", T0.plus(Duration.ofMinutes(5)))).isFalse();
    assertThat(trigger.hit("ip-1", T0.plus(Duration.ofMinutes(6)))).isTrue();
  }

  @Test
  void keysCountApart() {
    trigger.hit("ip-1", T0);
    trigger.hit("ip-1", T0);
    assertThat(trigger.hit("ip-2", T0)).isFalse();
    assertThat(trigger.hit("ip-1", T0)).isTrue();
  }

  @Test
  void aCountOfOneFiresAtEveryHit() {
    ThresholdTrigger once =
        new ThresholdTrigger(new ResponseRule.Threshold(1, Duration.ofMinutes(5)));
    assertThat(once.hit("ip-1", T0)).isTrue();
    assertThat(once.hit("ip-1", T0)).isTrue();
  }
}
