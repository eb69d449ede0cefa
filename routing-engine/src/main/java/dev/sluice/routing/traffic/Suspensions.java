package dev.sluice.routing.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Member and tenant suspensions, kept in the {@link TrafficStore}. When a member's suspension ends
 * it does not jump back to full weight: it ramps from {@code rampStart} to its full share over
 * {@code ramp}, so that a provider that just throttled us does not get the whole backlog at once.
 */
final class Suspensions {
  private final TrafficStore store;
  private final double rampStart;
  private final Duration ramp;

  /**
   * Operators' suspensions, by member: kept by this node (the server persists them with its
   * overrides), not in the store, and ending only when resumed.
   */
  private final Map<String, Suspension> held = new HashMap<>();

  Suspensions(TrafficStore store, double rampStart, Duration ramp) {
    this.store = store;
    this.rampStart = rampStart;
    this.ramp = ramp;
  }

  /** Stores a suspension that starts now: its {@code since} is the time of the call. */
  void suspend(Suspension s) {
    if (s.scope() == Suspension.Scope.TENANT) {
      store.put(TrafficKeys.tenantSuspension(s.subject()), s.encode(), s.until(), s.since());
      return;
    }
    store.put(
        TrafficKeys.memberSuspension(s.subject(), s.destination()),
        s.encode(),
        s.until(),
        s.since());
    store.put(
        TrafficKeys.rampAfterSuspension(s.subject(), s.destination()),
        Long.toString(s.until().toEpochMilli()),
        s.until().plus(ramp),
        s.since());
  }

  /**
   * Replaces the operators' suspensions with {@code holds} (each {@link Suspension#untilResumed}).
   */
  void hold(Collection<Suspension> holds) {
    held.clear();
    for (Suspension s : holds) {
      if (s.scope() != Suspension.Scope.MEMBER || !s.untilResumed()) {
        throw new IllegalArgumentException("not an operator's hold of a member: " + s);
      }
      held.put(s.subject(), s);
    }
  }

  /** The suspension of {@code member} for {@code destination} or for every destination. */
  Optional<Suspension> member(String member, String destination, Instant now) {
    Suspension h = held.get(member);
    if (h != null) {
      return Optional.of(h);
    }
    Optional<Suspension> all = read(TrafficKeys.memberSuspension(member, TrafficKeys.ALL), now);
    return all.isPresent() ? all : read(TrafficKeys.memberSuspension(member, destination), now);
  }

  Optional<Suspension> tenant(String tenant, Instant now) {
    return read(TrafficKeys.tenantSuspension(tenant), now);
  }

  /** The share of its weight a member gets back after a suspension ended: in (0, 1]. */
  double rampFactor(String member, String destination, Instant now) {
    return Math.min(
        ramped(TrafficKeys.rampAfterSuspension(member, destination), now),
        ramped(TrafficKeys.rampAfterSuspension(member, TrafficKeys.ALL), now));
  }

  /** Every suspension in force, the one ending first first. */
  List<Suspension> active(Instant now) {
    List<Suspension> out = new ArrayList<>(held.values());
    for (String prefix : List.of(TrafficKeys.MEMBER_SUSPENSIONS, TrafficKeys.TENANT_SUSPENSIONS)) {
      for (String value : store.values(prefix, now).values()) {
        Suspension.decode(value).filter(s -> now.isBefore(s.until())).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(Suspension::until));
    return out;
  }

  private Optional<Suspension> read(String key, Instant now) {
    return store.get(key, now).flatMap(Suspension::decode).filter(s -> now.isBefore(s.until()));
  }

  private double ramped(String key, Instant now) {
    Optional<String> ended = store.get(key, now);
    if (ended.isEmpty()) {
      return 1;
    }
    long since = now.toEpochMilli() - Long.parseLong(ended.get());
    if (since < 0) {
      return 1; // still suspended: the suspension itself keeps the member out
    }
    return Math.min(1, rampStart + (1 - rampStart) * since / (double) Math.max(1, ramp.toMillis()));
  }
}
