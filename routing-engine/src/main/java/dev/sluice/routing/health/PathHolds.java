package dev.sluice.routing.health;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Takes a failing path out of selection at once, so the next messages go to the next member instead
 * of failing the same way: after a path-level failure (every host of a member refused, timed out,
 * failed TLS or AUTH, answered 421) the member is held for a while, then eligible again: the next
 * message routed to it tries it. Each further failure in a row doubles the hold up to {@code
 * maxHold}; a success clears it. A relay member is held for every destination (the relay itself
 * failed); a direct member only for the destination that failed (Gmail being down says nothing of
 * Outlook).
 *
 * <p>Not thread-safe: owned by the scheduler's thread. Time comes from the caller.
 */
public final class PathHolds {
  private final Duration firstHold;
  private final Duration maxHold;
  private final Map<Key, Hold> holds = new HashMap<>();

  public PathHolds(Duration firstHold, Duration maxHold) {
    this.firstHold = Objects.requireNonNull(firstHold, "firstHold");
    this.maxHold = Objects.requireNonNull(maxHold, "maxHold");
    if (firstHold.isNegative() || maxHold.compareTo(firstHold) < 0) {
      throw new IllegalArgumentException("need 0 <= firstHold <= maxHold");
    }
  }

  /** A path of {@code member} toward {@code destination} failed at {@code now}. */
  public void failed(MemberConfig member, String destination, Instant now, String why) {
    Key key = key(member, destination);
    Hold previous = holds.get(key);
    int failures = previous == null ? 1 : previous.failures + 1;
    Duration hold = firstHold.multipliedBy(1L << Math.min(failures - 1, 20));
    if (hold.compareTo(maxHold) > 0) {
      hold = maxHold;
    }
    holds.put(key, new Hold(failures, now.plus(hold), why));
  }

  /** A path of {@code member} toward {@code destination} delivered: it is no longer held. */
  public void succeeded(MemberConfig member, String destination) {
    if (!holds.isEmpty()) {
      holds.remove(key(member, destination));
    }
  }

  /** Until when the member is held for the destination, or null when it is not. */
  public Instant heldUntil(MemberConfig member, String destination, Instant now) {
    Hold hold = holds.get(key(member, destination));
    return hold == null || !now.isBefore(hold.until) ? null : hold.until;
  }

  /** Live eligibility at {@code now}: held members are {@link MemberVerdict.Reason#DOWN}. */
  public Eligibility eligibility(Instant now) {
    if (holds.isEmpty()) {
      return Eligibility.ALL;
    }
    return (member, destination) -> {
      Hold hold = holds.get(key(member, destination));
      if (hold == null || !now.isBefore(hold.until)) {
        return MemberVerdict.FULL;
      }
      return new MemberVerdict.Ineligible(
          MemberVerdict.Reason.DOWN,
          hold.why + "; held until " + hold.until + " after " + hold.failures + " failure(s)");
    };
  }

  private static Key key(MemberConfig member, String destination) {
    return new Key(member.name(), member.relay().isPresent() ? "*" : destination);
  }

  private record Key(String member, String destination) {}

  private record Hold(int failures, Instant until, String why) {}
}
