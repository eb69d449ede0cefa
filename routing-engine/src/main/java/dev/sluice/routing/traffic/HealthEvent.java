package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of health state, for logs, metrics and the events API.
 *
 * @param key the member, or {@code member|destination}
 * @param detail what caused the change: the reply or failure, or the reason of a timed change
 */
public record HealthEvent(String key, HealthState from, HealthState to, Instant at, String detail) {
  public HealthEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(detail, "detail");
  }
}
