package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.routing.config.AimdSettings;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AimdTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String KEY = "ip-1|gmail";

  private final Aimd aimd = new Aimd(AimdSettings.DEFAULTS);

  @Test
  void aThrottlingDeferralHalvesTheFactorOncePerCooldown() {
    assertThat(aimd.factor(KEY)).isEqualTo(1);
    assertThat(aimd.throttled(KEY, T0)).contains(0.5);
    assertThat(aimd.throttled(KEY, T0.plusSeconds(29))).isEmpty();
    assertThat(aimd.factor(KEY)).isEqualTo(0.5);
    assertThat(aimd.throttled(KEY, T0.plusSeconds(30))).contains(0.25);
  }

  @Test
  void theFactorNeverGoesBelowTheFloor() {
    Instant t = T0;
    for (int i = 0; i < 10; i++) {
      aimd.throttled(KEY, t);
      t = t.plusSeconds(30);
    }
    assertThat(aimd.factor(KEY)).isEqualTo(0.05);
    assertThat(aimd.throttled(KEY, t)).isEmpty();
  }

  @Test
  void eachCleanWindowWithDeliveriesAddsTheIncreaseBackToOne() {
    aimd.throttled(KEY, T0);
    assertThat(aimd.delivered(KEY, T0.plusSeconds(59))).isEmpty();
    Instant t = T0.plusSeconds(60);
    assertThat(aimd.delivered(KEY, t).orElseThrow()).isCloseTo(0.6, within(1e-9));
    assertThat(aimd.delivered(KEY, t.plusSeconds(30))).isEmpty();
    for (int i = 0; i < 4; i++) {
      t = t.plusSeconds(60);
      aimd.delivered(KEY, t);
    }
    assertThat(aimd.factor(KEY)).isEqualTo(1);
    assertThat(aimd.all()).isEmpty();
    assertThat(aimd.delivered(KEY, t.plusSeconds(60))).isEmpty();
  }

  @Test
  void aDeferralRestartsTheCleanWindow() {
    aimd.throttled(KEY, T0);
    aimd.throttled(KEY, T0.plusSeconds(50));
    assertThat(aimd.delivered(KEY, T0.plusSeconds(60))).isEmpty();
    assertThat(aimd.delivered(KEY, T0.plusSeconds(110))).isPresent();
  }

  @Test
  void aCutFromResponseAutomationCountsAsADecrease() {
    aimd.cut(KEY, 0.2, T0);
    assertThat(aimd.factor(KEY)).isCloseTo(0.2, within(1e-9));
    assertThat(aimd.throttled(KEY, T0.plusSeconds(10))).isEmpty();
    assertThat(aimd.delivered(KEY, T0.plusSeconds(59))).isEmpty();
    aimd.cut(KEY, 0.1, T0.plusSeconds(1));
    assertThat(aimd.all()).containsEntry(KEY, 0.05);
    assertThatThrownBy(() -> aimd.cut(KEY, 1.5, T0)).isInstanceOf(IllegalArgumentException.class);
  }
}
