package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.routing.config.WarmupConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WarmupScheduleTest {
  private static final WarmupConfig.Curve OPEN =
      new WarmupConfig.Curve(100, 0.15, OptionalLong.empty());
  private static final WarmupConfig.Curve CAPPED =
      new WarmupConfig.Curve(100, 1.0, OptionalLong.of(1000));
  private static final WarmupConfig.Table TABLE = new WarmupConfig.Table(List.of(50L, 200L, 1000L));

  @Test
  void aCurveGrowsByItsRateEachDayRoundedDown() {
    assertThat(WarmupSchedule.allowance(OPEN, 1)).isEqualTo(100);
    assertThat(WarmupSchedule.allowance(OPEN, 2)).isEqualTo(115);
    assertThat(WarmupSchedule.allowance(OPEN, 3)).isEqualTo(132); // 132.25
    assertThat(WarmupSchedule.allowance(OPEN, 30)).isEqualTo(5757); // 5757.54…
  }

  @Test
  void aCurveStopsAtItsMaxAndIsThenWarm() {
    assertThat(WarmupSchedule.allowance(CAPPED, 4)).isEqualTo(800);
    assertThat(WarmupSchedule.isWarm(CAPPED, 4)).isFalse();
    assertThat(WarmupSchedule.allowance(CAPPED, 5)).isEqualTo(1000);
    assertThat(WarmupSchedule.isWarm(CAPPED, 5)).isTrue();
  }

  @Test
  void aCurveWithoutMaxNeverEndsAndSaturatesInsteadOfOverflowing() {
    assertThat(WarmupSchedule.allowance(OPEN, 100_000)).isEqualTo(Long.MAX_VALUE);
    assertThat(WarmupSchedule.isWarm(OPEN, 100_000)).isFalse();
  }

  @Test
  void aTableGivesItsDailyCapsThenNoLimit() {
    assertThat(WarmupSchedule.allowance(TABLE, 1)).isEqualTo(50);
    assertThat(WarmupSchedule.allowance(TABLE, 3)).isEqualTo(1000);
    assertThat(WarmupSchedule.isWarm(TABLE, 3)).isFalse();
    assertThat(WarmupSchedule.allowance(TABLE, 4)).isEqualTo(Long.MAX_VALUE);
    assertThat(WarmupSchedule.isWarm(TABLE, 4)).isTrue();
  }

  @Test
  void theShareIsTheAllowanceOverTheFullVolume() {
    assertThat(WarmupSchedule.share(CAPPED, 2, OptionalLong.of(99))).isCloseTo(0.2, within(1e-9));
    assertThat(WarmupSchedule.share(TABLE, 2, OptionalLong.empty())).isCloseTo(0.2, within(1e-9));
    assertThat(WarmupSchedule.share(OPEN, 2, OptionalLong.of(1150))).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void theShareIsAtLeastOnePercentAndOneWhenWarmOrUnknown() {
    assertThat(WarmupSchedule.share(OPEN, 1, OptionalLong.of(1_000_000))).isEqualTo(0.01);
    assertThat(WarmupSchedule.share(OPEN, 1, OptionalLong.empty())).isEqualTo(1);
    assertThat(WarmupSchedule.share(TABLE, 4, OptionalLong.empty())).isEqualTo(1);
    assertThat(WarmupSchedule.share(OPEN, 40, OptionalLong.of(1000))).isEqualTo(1);
  }

  @Test
  void theDayCountsFromTheStartLessPausedDays() {
    LocalDate start = LocalDate.of(2026, 11, 1);
    assertThat(WarmupSchedule.day(start, start, 0)).isEqualTo(1);
    assertThat(WarmupSchedule.day(start, LocalDate.of(2026, 11, 10), 0)).isEqualTo(10);
    assertThat(WarmupSchedule.day(start, LocalDate.of(2026, 11, 10), 3)).isEqualTo(7);
    assertThat(WarmupSchedule.day(start, LocalDate.of(2026, 11, 2), 5)).isEqualTo(1);
  }
}
