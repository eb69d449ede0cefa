package dev.sluice.relay.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an operator changed about one member at run time, on top of routes.yaml.
 *
 * @param weight the member's weight in every pool that has it, instead of the configured one
 * @param suspendedSince when the operator suspended it; empty while it is not suspended
 * @param reason the operator's note for the suspension; empty when none was given
 * @param by who made the change ({@code operator})
 * @param at when the override last changed
 */
public record MemberOverride(
    String member,
    OptionalInt weight,
    Optional<Instant> suspendedSince,
    String reason,
    String by,
    Instant at) {
  /** Who the admin API's changes are recorded as: the token names no person. */
  public static final String OPERATOR = "operator";

  public MemberOverride {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(weight, "weight");
    if (weight.isPresent() && weight.getAsInt() < 1) {
      throw new IllegalArgumentException("a weight is at least 1: " + weight.getAsInt());
    }
    Objects.requireNonNull(suspendedSince, "suspendedSince");
    reason = reason == null ? "" : reason;
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
  }

  /** No change yet: the start of an override that a first change fills in. */
  static MemberOverride none(String member, Instant at) {
    return new MemberOverride(member, OptionalInt.empty(), Optional.empty(), "", OPERATOR, at);
  }

  public boolean suspended() {
    return suspendedSince.isPresent();
  }

  /** Whether it changes nothing any more (weight removed and resumed): then it is dropped. */
  boolean isEmpty() {
    return weight.isEmpty() && suspendedSince.isEmpty();
  }

  /** {@code weight 7, suspended since 2026-11-23T12:00:00Z (IP on a blocklist)}, for logs. */
  public String describe() {
    String w = weight.isPresent() ? "weight " + weight.getAsInt() : "configured weight";
    return w
        + suspendedSince
            .map(t -> ", suspended since " + t + (reason.isEmpty() ? "" : " (" + reason + ")"))
            .orElse("");
  }

  MemberOverride withWeight(OptionalInt newWeight, Instant now) {
    return new MemberOverride(member, newWeight, suspendedSince, reason, OPERATOR, now);
  }

  MemberOverride suspend(String why, Instant now) {
    return new MemberOverride(
        member, weight, Optional.of(suspendedSince.orElse(now)), why, OPERATOR, now);
  }

  MemberOverride resume(Instant now) {
    return new MemberOverride(member, weight, Optional.empty(), "", OPERATOR, now);
  }
}
