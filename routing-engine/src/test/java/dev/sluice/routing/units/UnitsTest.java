package dev.sluice.routing.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void ratesReadTheWayOperatorsWriteThem() {
    assertThat(Rate.parse("500/min")).isEqualTo(new Rate(500, Duration.ofMinutes(1)));
    assertThat(Rate.parse("10k/day")).isEqualTo(new Rate(10_000, Duration.ofDays(1)));
    assertThat(Rate.parse("5/hour")).isEqualTo(new Rate(5, Duration.ofHours(1)));
    assertThat(Rate.parse("1.5M/d")).isEqualTo(new Rate(1_500_000, Duration.ofDays(1)));
    assertThat(Rate.parse("3/5m")).isEqualTo(new Rate(3, Duration.ofMinutes(5)));
    assertThat(Rate.parse("100/s").perSecond()).isEqualTo(100.0);
    assertThat(Rate.parse("10k/day")).hasToString("10000/day");
  }

  @Test
  void badRatesSayWhatWasExpected() {
    assertThatThrownBy(() -> Rate.parse("500")).hasMessageContaining("COUNT/PERIOD");
    assertThatThrownBy(() -> Rate.parse("500/fortnight")).hasMessageContaining("duration");
    assertThatThrownBy(() -> Rate.parse("0/min")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Rate.parse("lots/min")).hasMessageContaining("not a count");
    assertThatThrownBy(() -> Rate.parse("1.5/min")).hasMessageContaining("whole");
  }

  @Test
  void durationsAcceptSingleAndCompoundParts() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("4h")).isEqualTo(Duration.ofHours(4));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("5d")).isEqualTo(Duration.ofDays(5));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.parse(Durations.format(Duration.ofSeconds(93_784))))
        .isEqualTo(Duration.ofSeconds(93_784));
  }

  @Test
  void durationsAndRatePeriodsGoUpToAYear() {
    assertThat(Durations.parse("365d")).isEqualTo(Duration.ofDays(365));
    assertThat(Durations.parse("52w")).isEqualTo(Duration.ofDays(364));
    assertThat(Rate.parse("1/365d")).isEqualTo(new Rate(1, Duration.ofDays(365)));
    // 20000w overflowed Duration.toNanos at run time: a timer, a rate's events per second.
    assertThatThrownBy(() -> Durations.parse("20000w"))
        .isInstanceOf(UnitFormatException.class)
        .hasMessage("'20000w' is too long; a duration must be at most 365d");
    assertThatThrownBy(() -> Durations.parse("365d1ms")).isInstanceOf(UnitFormatException.class);
    assertThatThrownBy(() -> Rate.parse("1/20000w"))
        .isInstanceOf(UnitFormatException.class)
        .hasMessage("'20000w' is too long; a duration must be at most 365d");
  }

  @Test
  void badDurationsAreRefused() {
    assertThatThrownBy(() -> Durations.parse("30")).isInstanceOf(UnitFormatException.class);
    assertThatThrownBy(() -> Durations.parse("4 hours")).hasMessageContaining("e.g. 30s");
    assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(UnitFormatException.class);
    // Found by RoutesLoaderFuzzTest: these escaped as ArithmeticException or wrapped negative.
    assertThatThrownBy(() -> Durations.parse("7766279631452241918d"))
        .isInstanceOf(UnitFormatException.class)
        .hasMessage("'7766279631452241918d' is too long; a duration must be at most 365d");
    assertThatThrownBy(() -> Durations.parse("2000000000000000000w"))
        .isInstanceOf(UnitFormatException.class);
    assertThatThrownBy(() -> Durations.parse("9223372036854775807s1s"))
        .isInstanceOf(UnitFormatException.class);
  }

  @Test
  void sizesAreBinary() {
    assertThat(ByteSize.parse("20MB")).isEqualTo(20L * 1024 * 1024);
    assertThat(ByteSize.parse("512KB")).isEqualTo(512L * 1024);
    assertThat(ByteSize.parse("1.5GiB")).isEqualTo(3L * 512 * 1024 * 1024);
    assertThat(ByteSize.parse("100")).isEqualTo(100);
    assertThat(ByteSize.parse("2 mb")).isEqualTo(2L * 1024 * 1024);
    assertThatThrownBy(() -> ByteSize.parse("20 parsecs")).hasMessageContaining("not a size");
  }

  @Test
  void countsAndPercentages() {
    assertThat(Counts.parse("100k")).isEqualTo(100_000);
    assertThat(Counts.parse("1_000")).isEqualTo(1_000);
    assertThat(Percent.parse("15%")).isEqualTo(0.15);
    assertThat(Percent.parse("2.5%")).isEqualTo(0.025);
    assertThat(Percent.parse("0.1%")).isEqualTo(0.001);
    assertThat(Percent.parse("0.7%")).isEqualTo(0.007); // 0.7 / 100 would be 0.006999…
    assertThatThrownBy(() -> Percent.parse("15")).hasMessageContaining("percentage");
    assertThatThrownBy(() -> Counts.parse("-3")).hasMessageContaining("not a count");
  }
}
