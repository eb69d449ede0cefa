package dev.sluice.routing.units;

import java.math.BigDecimal;

/** Percentages written {@code 15%}; returned as a fraction (0.15). */
public final class Percent {
  private Percent() {}

  /**
   * Parses {@code N%} or {@code N.M%} ({@code 0.1%} included) into a fraction; negative values are
   * refused.
   */
  public static double parse(String text) {
    String s = text.strip();
    if (!s.matches("[0-9]+(\\.[0-9]+)?%")) {
      throw new UnitFormatException("'" + text + "' is not a percentage (expected e.g. 15%)");
    }
    // Through BigDecimal, so that 0.7% is the double nearest 0.007 (dividing gives 0.00699…).
    return new BigDecimal(s.substring(0, s.length() - 1)).movePointLeft(2).doubleValue();
  }
}
