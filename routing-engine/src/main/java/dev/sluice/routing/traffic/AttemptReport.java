package dev.sluice.routing.traffic;

import dev.sluice.routing.config.MemberConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attempt of a member toward a destination found, as traffic control learns from it.
 *
 * @param pathFailure why the whole path failed (every host refused, timed out, failed TLS or AUTH),
 *     if it did
 * @param results one per recipient
 */
public record AttemptReport(
    MemberConfig member,
    String destination,
    Optional<String> tenant,
    Optional<String> pathFailure,
    List<Result> results) {
  public AttemptReport {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(pathFailure, "pathFailure");
    results = List.copyOf(results);
  }

  /** What happened to one recipient. */
  public enum Outcome {
    DELIVERED,
    BOUNCED,
    DEFERRED,
    /** Not tried in this attempt (a 452 split): says nothing of the path. */
    UNTRIED
  }

  /**
   * @param code the reply code, 0 when there was no reply (connection failure, timeout)
   * @param reply the reply as one line ({@code 421 4.7.0 [TS04] …}), or the failure
   */
  public record Result(String recipient, Outcome outcome, int code, String reply) {
    public Result {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(outcome, "outcome");
      reply = reply == null ? "" : reply;
    }
  }
}
