package dev.sluice.relay.demo;

import dev.sluice.routing.units.Durations;
import dev.sluice.routing.units.UnitFormatException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 30s}, {@code 2m}, {@code 1h} as in the config files. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (UnitFormatException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
