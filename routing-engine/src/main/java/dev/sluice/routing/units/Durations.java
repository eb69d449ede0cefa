package dev.sluice.routing.units;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way operators write them: {@code 30s}, {@code 4h}, {@code 1h30m},
 * {@code 5d}.
 */
public final class Durations {
  /**
   * The longest duration any key takes: a year. Longer ones are mistakes, and overflow the
   * nanoseconds of timers and rates at run time (292 years), some after scaling.
   */
  private static final Duration MAX = Duration.ofDays(365);

  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|min|h|d|w)");

  private Durations() {}

  /**
   * Parses one or more NUMBER+UNIT parts (ms, s, m or min, h, d, w); the result is positive and at
   * most {@link #MAX}.
   */
  public static Duration parse(String text) {
    String s = text.strip();
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    try {
      while (at < s.length() && m.find(at) && m.start() == at) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m", "min" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  case "d" -> Duration.ofDays(n);
                  default -> Duration.ofDays(Math.multiplyExact(7, n));
                });
        at = m.end();
      }
    } catch (ArithmeticException e) {
      throw tooLong(text);
    }
    if (s.isEmpty() || at != s.length()) {
      throw new UnitFormatException(
          "'" + text + "' is not a duration (expected e.g. 30s, 5m, 4h, 1h30m or 5d)");
    }
    if (total.isZero()) {
      throw new UnitFormatException("'" + text + "' is zero; a duration must be positive");
    }
    if (total.compareTo(MAX) > 0) {
      throw tooLong(text);
    }
    return total;
  }

  private static UnitFormatException tooLong(String text) {
    return new UnitFormatException(
        "'" + text + "' is too long; a duration must be at most " + format(MAX));
  }

  /** The shortest form {@link #parse} reads back to the same duration, e.g. {@code 1h30m}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      out.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      out.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      out.append(d.toMillisPart()).append("ms");
    }
    return out.toString();
  }
}
