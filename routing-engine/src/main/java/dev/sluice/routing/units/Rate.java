package dev.sluice.routing.units;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A number of events per period, written {@code 500/min}, {@code 10k/day}, {@code 5/hour}.
 *
 * @param count events allowed in one period, at least 1
 * @param period the period, positive
 */
public record Rate(long count, Duration period) {
  public Rate {
    Objects.requireNonNull(period, "period");
    if (count < 1) {
      throw new UnitFormatException("a rate needs at least 1 event per period");
    }
    if (period.isZero() || period.isNegative()) {
      throw new UnitFormatException("a rate needs a positive period");
    }
  }

  /**
   * Parses {@code COUNT/UNIT} where UNIT is s|sec|second, min|minute, h|hour, d|day, or a duration
   * such as {@code 5m}.
   */
  public static Rate parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new UnitFormatException(
          "'" + text + "' is not a rate (expected COUNT/PERIOD such as 500/min or 10k/day)");
    }
    long count = Counts.parse(text.substring(0, slash));
    String unit = text.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
    Duration period =
        switch (unit) {
          case "s", "sec", "second" -> Duration.ofSeconds(1);
          case "min", "minute" -> Duration.ofMinutes(1);
          case "h", "hour" -> Duration.ofHours(1);
          case "d", "day" -> Duration.ofDays(1);
          default -> Durations.parse(unit);
        };
    return new Rate(count, period);
  }

  /** Events per second, for comparing rates of different periods. */
  public double perSecond() {
    return count / (period.toNanos() / 1e9);
  }

  @Override
  public String toString() {
    String unit =
        period.equals(Duration.ofSeconds(1))
            ? "s"
            : period.equals(Duration.ofMinutes(1))
                ? "min"
                : period.equals(Duration.ofHours(1))
                    ? "hour"
                    : period.equals(Duration.ofDays(1)) ? "day" : Durations.format(period);
    return count + "/" + unit;
  }
}
