package dev.sluice.routing.units;

/** Percentages written {@code 15%}; returned as a fraction (0.15). */
public final class Percent {
  private Percent() {}

  /** Parses {@code N%} or {@code N.M%} into a fraction; negative values are refused. */
  public static double parse(String text) {
    String s = text.strip();
    if (!s.matches("[0-9]+(\\.[0-9]+)?%")) {
      throw new UnitFormatException("'" + text + "' is not a percentage (expected e.g. 15%)");
    }
    return Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0;
  }
}
