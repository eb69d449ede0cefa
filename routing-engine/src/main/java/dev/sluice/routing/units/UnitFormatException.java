package dev.sluice.routing.units;

/**
 * A human unit ({@code 500/min}, {@code 4h}, {@code 20MB}…) that does not parse; the message says
 * what was expected.
 */
public final class UnitFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnitFormatException(String message) {
    super(message);
  }
}
