package dev.sluice.relay.admin;

import dev.sluice.relay.policy.MemberOverride;
import dev.sluice.relay.policy.Policy;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.PoolConfig;
import dev.sluice.routing.traffic.HealthState;
import dev.sluice.routing.traffic.MemberState;
import dev.sluice.routing.traffic.Suspension;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Member object of the API as the override endpoints answer it: name, kind, target, weight
 * (after override), configured weight, effective weight, status, active, detail, override and
 * suspensions, from the member as a whole (not per destination). The pool views have the full
 * shape; this is the part an override changes.
 */
final class MemberJson {
  /** Traffic control's destination for the member as a whole. */
  private static final String WHOLE = "*";

  private MemberJson() {}

  /** The member as it stands now; read on the scheduler's thread, which owns traffic control. */
  static CompletableFuture<Map<String, Object>> of(
      Policy policy, String name, Scheduler scheduler, Clock clock) {
    Optional<MemberConfig> running = find(policy.routes().pools().values(), name);
    Optional<MemberOverride> override = policy.overrides().of(name);
    if (running.isEmpty()) {
      // An override kept for a member the file no longer has.
      Map<String, Object> m = base(name, Optional.empty(), Optional.empty(), override);
      m.put("status", "unknown");
      m.put("active", false);
      m.put("detail", "not in routes.yaml; the override applies if the member comes back");
      return CompletableFuture.completedFuture(m);
    }
    MemberConfig member = running.get();
    Optional<MemberConfig> configured = find(policy.configured().pools().values(), name);
    return scheduler.traffic(
        traffic -> {
          Instant now = clock.instant();
          MemberState state = traffic.state(member, WHOLE, now);
          Map<String, Object> m = base(name, Optional.of(member), configured, override);
          String status = status(member, state);
          boolean active = !List.of("suspended", "down", "quota").contains(status);
          m.put(
              "effective_weight",
              active
                  ? Math.max(
                      1,
                      Math.round(
                          member.weight() * state.health().weightFactor() * state.reputation()))
                  : 0);
          m.put("status", status);
          m.put("active", active);
          m.put(
              "detail",
              state.suspension().map(Suspension::describe).orElse(state.health().detail()));
          List<Map<String, Object>> suspensions = new ArrayList<>();
          state
              .suspension()
              .ifPresent(
                  s -> {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("destination", s.destination());
                    j.put("by", s.setBy());
                    j.put("reason", s.reason());
                    j.put("until", s.untilResumed() ? null : s.until());
                    suspensions.add(j);
                  });
          m.put("suspensions", suspensions);
          return m;
        });
  }

  /** The override object of a member: {@code weight, suspended, reason, by, at} (and since). */
  static Map<String, Object> override(MemberOverride o) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("weight", o.weight().isPresent() ? o.weight().getAsInt() : null);
    j.put("suspended", o.suspended());
    j.put("since", o.suspendedSince().orElse(null));
    j.put("reason", o.reason().isEmpty() ? null : o.reason());
    j.put("by", o.by());
    j.put("at", o.at());
    return j;
  }

  private static Map<String, Object> base(
      String name,
      Optional<MemberConfig> running,
      Optional<MemberConfig> configured,
      Optional<MemberOverride> override) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("kind", running.map(c -> c.relay().isPresent() ? "relay" : "direct").orElse(null));
    m.put(
        "target",
        running
            .flatMap(
                c ->
                    c.relay().isPresent()
                        ? c.relay().map(r -> r.host() + ":" + r.port())
                        : c.sourceIp())
            .orElse(null));
    m.put("weight", running.map(MemberConfig::weight).orElse(null));
    m.put("configured_weight", configured.map(MemberConfig::weight).orElse(null));
    m.put("override", override.map(MemberJson::override).orElse(null));
    return m;
  }

  private static String status(MemberConfig member, MemberState state) {
    if (state.suspension().isPresent()) {
      return "suspended";
    }
    HealthState health = state.health().state();
    if (health == HealthState.DOWN) {
      return "down";
    }
    long hour = state.quotaUsed().getOrDefault("hour", 0L);
    long day = state.quotaUsed().getOrDefault("day", 0L);
    if (member.limits().perHour().isPresent() && hour >= member.limits().perHour().getAsLong()
        || member.limits().perDay().isPresent() && day >= member.limits().perDay().getAsLong()) {
      return "quota";
    }
    return switch (health) {
      case DEGRADED -> "degraded";
      case PROBATION -> "probation";
      default -> "healthy";
    };
  }

  /** The member of that name in the first pool that has it. */
  private static Optional<MemberConfig> find(Iterable<PoolConfig> pools, String name) {
    for (PoolConfig p : pools) {
      for (MemberConfig m : p.members()) {
        if (m.name().equals(name)) {
          return Optional.of(m);
        }
      }
    }
    return Optional.empty();
  }
}
