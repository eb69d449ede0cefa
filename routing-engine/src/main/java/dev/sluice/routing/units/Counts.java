package dev.sluice.routing.units;

import java.math.BigDecimal;

/** Parses counts written the way operators write them: {@code 500}, {@code 10k}, {@code 1.5M}. */
public final class Counts {
  private Counts() {}

  /**
   * Parses a non-negative count with an optional {@code k} (thousand) or {@code M} (million)
   * suffix; fractions are allowed before a suffix ({@code 1.5k} = 1500) but the result must be
   * whole.
   */
  public static long parse(String text) {
    String s = text.strip();
    long multiplier = 1;
    if (!s.isEmpty()) {
      char last = s.charAt(s.length() - 1);
      if (last == 'k' || last == 'K') {
        multiplier = 1_000;
      } else if (last == 'm' || last == 'M') {
        multiplier = 1_000_000;
      }
      if (multiplier != 1) {
        s = s.substring(0, s.length() - 1);
      }
    }
    s = s.replace("_", "");
    if (s.isEmpty() || !s.matches("[0-9]+(\\.[0-9]+)?")) {
      throw new UnitFormatException(
          "'" + text + "' is not a count (expected a number such as 500, 10k or 1.5M)");
    }
    BigDecimal value = new BigDecimal(s).multiply(BigDecimal.valueOf(multiplier));
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      throw new UnitFormatException("'" + text + "' is not a whole count");
    }
  }
}
