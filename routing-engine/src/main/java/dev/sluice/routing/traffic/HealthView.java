package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of one key at an instant, for selection and listing.
 *
 * @param weightFactor the share of its weight the key keeps: 1 healthy, the degraded weight, 0
 *     down, growing from the ramp start to 1 on probation
 * @param recheckAt when a down key is tried (or probed) again; when a key on probation is healthy
 *     again; empty otherwise
 * @param detail the last failure, or empty
 * @param failuresInRow failed attempts and probes since the last success
 */
public record HealthView(
    HealthState state,
    double weightFactor,
    Optional<Instant> recheckAt,
    String detail,
    int failuresInRow) {
  public static final HealthView HEALTHY =
      new HealthView(HealthState.HEALTHY, 1, Optional.empty(), "", 0);

  public HealthView {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(recheckAt, "recheckAt");
    Objects.requireNonNull(detail, "detail");
  }
}
