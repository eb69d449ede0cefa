package dev.sluice.routing.units;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Sizes written {@code 20MB}, {@code 512KB}, {@code 1.5GB}; units are binary (1 KB = 1024 bytes),
 * as in Postfix.
 */
public final class ByteSize {
  private ByteSize() {}

  /**
   * Parses NUMBER followed by B, KB/KiB/K, MB/MiB/M or GB/GiB/G (case-insensitive); a bare number
   * is bytes.
   */
  public static long parse(String text) {
    String s = text.strip().toUpperCase(Locale.ROOT).replace("IB", "B");
    int split = 0;
    while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
      split++;
    }
    String number = s.substring(0, split);
    long unit =
        switch (s.substring(split).strip()) {
          case "", "B" -> 1L;
          case "K", "KB" -> 1L << 10;
          case "M", "MB" -> 1L << 20;
          case "G", "GB" -> 1L << 30;
          default -> -1L;
        };
    if (unit < 0 || !number.matches("[0-9]+(\\.[0-9]+)?")) {
      throw new UnitFormatException(
          "'" + text + "' is not a size (expected e.g. 512KB, 20MB or 1GB)");
    }
    try {
      return new BigDecimal(number).multiply(BigDecimal.valueOf(unit)).longValueExact();
    } catch (ArithmeticException e) {
      throw new UnitFormatException("'" + text + "' is not a whole number of bytes");
    }
  }
}
