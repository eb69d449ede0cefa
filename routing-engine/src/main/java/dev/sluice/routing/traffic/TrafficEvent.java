package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of state worth telling operators: {@code member_down}, {@code member_degraded}, {@code
 * member_probation}, {@code member_up}, {@code member_suspended}, {@code tenant_suspended}, {@code
 * throttled}, {@code warmup_paused}. Every node logs them.
 *
 * @param member the member, or the tenant for {@code tenant_suspended}
 * @param destination the destination, or {@code *} when the whole member is concerned
 */
public record TrafficEvent(
    String type, Instant at, String member, String destination, String detail) {
  public TrafficEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(destination, "destination");
    detail = detail == null ? "" : detail;
  }

  /** Where events go; called on the scheduler's thread, so it must not block. */
  @FunctionalInterface
  public interface Sink {
    Sink NONE = event -> {};

    void accept(TrafficEvent event);
  }
}
