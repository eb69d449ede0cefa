package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * One member of a pool as the API shows it: what routes.yaml says and how it stands now. Never
 * carries a relay's credentials: a relay shows as {@code host:port}.
 *
 * @param kind {@code relay} or {@code direct}
 * @param target {@code host:port} of a relay, the source IP of a direct member, or null
 * @param weight the weight as running (after an operator's override)
 * @param configuredWeight the weight routes.yaml gives it in this pool
 * @param effectiveWeight {@code weight} times the live factor (health, warmup, reputation, the ramp
 *     after a suspension); 0 when it takes no traffic
 * @param status healthy, degraded, probation, down, suspended, quota or warmup
 * @param active whether it can take traffic now
 * @param override the operator's override of routes.yaml, or null
 * @param ratePerMinute attempts through it that ended in the last minute
 * @param connections connections it holds for attempts now
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MemberView(
    String name,
    String kind,
    String target,
    int weight,
    int configuredWeight,
    double effectiveWeight,
    String status,
    boolean active,
    String detail,
    OperatorOverride override,
    List<Quota> quota,
    long ratePerMinute,
    int connections,
    List<Warmup> warmup,
    LastError lastError,
    List<Suspension> suspensions) {
  public MemberView {
    quota = List.copyOf(quota);
    warmup = List.copyOf(warmup);
    suspensions = List.copyOf(suspensions);
  }

  /** An operator's run-time change to the member. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record OperatorOverride(
      Integer weight, boolean suspended, String reason, String by, Instant at) {}

  /**
   * A calendar quota in its current window.
   *
   * @param window {@code hour} or {@code day}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Quota(String window, long used, long limit, long left) {}

  /** Where a warming member stands toward one destination today. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Warmup(
      String destination, int day, long capToday, long sentToday, boolean paused) {}

  /** The member's last failure: a path failure, or the first reply that was not a success. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record LastError(Instant at, String reply) {}

  /**
   * A suspension in force.
   *
   * @param destination the destination, or {@code *} for every one
   * @param by the response rule that set it, or {@code operator}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Suspension(String destination, String by, String reason, Instant until) {}
}
