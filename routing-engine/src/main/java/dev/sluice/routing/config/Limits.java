package dev.sluice.routing.config;

import dev.sluice.routing.units.Rate;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Volume limits of a member: calendar quotas, a sustained rate and a connection cap.
 *
 * @param perHour messages per calendar hour
 * @param perDay messages per calendar day
 * @param rate sustained rate (token bucket)
 * @param connections concurrent outbound connections
 */
public record Limits(
    OptionalLong perHour, OptionalLong perDay, Optional<Rate> rate, OptionalInt connections) {
  public static final Limits NONE =
      new Limits(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty());

  public Limits {
    Objects.requireNonNull(perHour, "perHour");
    Objects.requireNonNull(perDay, "perDay");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(connections, "connections");
  }
}
