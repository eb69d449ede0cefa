package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A member (for one destination, or {@code *} for all) or a tenant taken out of traffic until a
 * given instant, with what set it: a response rule and the reply that fired it, or an operator.
 * Kept in the {@link TrafficStore}, so every node of a cluster honours it.
 *
 * @param subject the member or the tenant
 * @param destination the destination for a member; {@code *} for every one, or for a tenant
 * @param setBy the response rule's name, or {@code operator}
 * @param reason the reply that fired the rule, or the operator's note
 */
public record Suspension(
    Scope scope,
    String subject,
    String destination,
    String setBy,
    String reason,
    Instant since,
    Instant until) {
  public Suspension {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(setBy, "setBy");
    reason = reason == null ? "" : reason;
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
  }

  /** The end of an operator's suspension: it holds until the operator resumes the member. */
  public static final Instant UNTIL_RESUMED = Instant.MAX;

  /**
   * An operator's suspension of a member for every destination, from {@code since} until resumed.
   */
  public static Suspension byOperator(String member, String reason, Instant since) {
    return new Suspension(
        Scope.MEMBER, member, TrafficKeys.ALL, OPERATOR, reason, since, UNTIL_RESUMED);
  }

  /** Who set an operator's suspension. */
  public static final String OPERATOR = "operator";

  /** Whether it lasts until an operator resumes the member rather than until an instant. */
  public boolean untilResumed() {
    return until.equals(UNTIL_RESUMED);
  }

  /** What is suspended. */
  public enum Scope {
    MEMBER,
    TENANT
  }

  /** {@code set by yahoo-ts04 (421 4.7.0 [TS04] …) until 2026-11-23T15:00:00Z}. */
  public String describe() {
    return "suspended by "
        + setBy
        + (reason.isEmpty() ? "" : " (" + reason + ")")
        + (untilResumed() ? " since " + since + " until resumed" : " until " + until);
  }

  /** The stored form: fields separated by tabs, which replies never carry once cleaned. */
  String encode() {
    return String.join(
        "\t",
        scope.name(),
        subject,
        destination,
        clean(setBy),
        clean(reason),
        Long.toString(since.toEpochMilli()),
        Long.toString(until.toEpochMilli()));
  }

  static Optional<Suspension> decode(String value) {
    String[] f = value.split("\t", -1);
    if (f.length != 7) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Suspension(
              Scope.valueOf(f[0]),
              f[1],
              f[2],
              f[3],
              f[4],
              Instant.ofEpochMilli(Long.parseLong(f[5])),
              Instant.ofEpochMilli(Long.parseLong(f[6]))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String clean(String text) {
    return text.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
  }
}
