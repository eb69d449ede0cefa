package dev.sluice.relay.admin;

import dev.sluice.relay.policy.Policy;
import dev.sluice.relay.queue.DeliveryActivity;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.PoolConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.traffic.HealthState;
import dev.sluice.routing.traffic.MemberState;
import dev.sluice.routing.traffic.Suspension;
import dev.sluice.routing.traffic.TrafficControl;
import dev.sluice.routing.traffic.WarmupStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Builds the API's view of pools and members from the policy and the scheduler's live state
 * (traffic control and recent activity, both read on the scheduler's thread). Whether a member is
 * active, its status and its effective weight are judged toward the {@code default} destination; a
 * suspension for one destination only shows in its {@code suspensions}. Thread-safe.
 */
public final class MemberViews {
  private final Supplier<Policy> policy;
  private final Scheduler scheduler;
  private final Clock clock;

  /**
   * @param policy the policy running now (a reload or an override replaces it)
   */
  public MemberViews(Supplier<Policy> policy, Scheduler scheduler, Clock clock) {
    this.policy = policy;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Every pool, in the order of routes.yaml. */
  public CompletableFuture<List<PoolView>> pools() {
    Policy p = policy.get();
    return live(p.routes()).thenApply(live -> poolViews(p, p.routes().pools().values(), live));
  }

  /** One pool; empty when the policy has none of that name. */
  public CompletableFuture<Optional<PoolView>> pool(String name) {
    Policy p = policy.get();
    Optional<PoolConfig> pool = p.routes().pool(name);
    if (pool.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return live(p.routes())
        .thenApply(live -> Optional.of(poolViews(p, List.of(pool.get()), live).get(0)));
  }

  /**
   * One member, with the weight of the first pool (in routes.yaml order) that has it; empty when no
   * pool has it.
   */
  public CompletableFuture<Optional<MemberView>> member(String name) {
    Policy p = policy.get();
    Optional<MemberConfig> member = Optional.ofNullable(p.routes().members().get(name));
    if (member.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    int configured =
        Optional.ofNullable(p.configured().members().get(name)).map(MemberConfig::weight).orElse(0);
    return live(p.routes())
        .thenApply(
            live -> Optional.of(view(member.get(), configured, override(p, name), live.get(name))));
  }

  /** The operator's override of a member, as the API shows it; null when there is none. */
  public static MemberView.OperatorOverride override(Policy policy, String member) {
    return policy
        .overrides()
        .of(member)
        .map(
            o ->
                new MemberView.OperatorOverride(
                    o.weight().isPresent() ? o.weight().getAsInt() : null,
                    o.suspended(),
                    o.reason().isEmpty() ? null : o.reason(),
                    o.by(),
                    o.at()))
        .orElse(null);
  }

  private static List<PoolView> poolViews(
      Policy policy, java.util.Collection<PoolConfig> pools, Map<String, Live> live) {
    List<PoolView> out = new ArrayList<>();
    for (PoolConfig p : pools) {
      List<MemberView> members = new ArrayList<>();
      Optional<PoolConfig> file = policy.configured().pool(p.name());
      for (MemberConfig m : p.members()) {
        int configured =
            file.flatMap(
                    f -> f.members().stream().filter(c -> c.name().equals(m.name())).findFirst())
                .map(MemberConfig::weight)
                .orElse(m.weight());
        members.add(view(m, configured, override(policy, m.name()), live.get(m.name())));
      }
      int active = (int) members.stream().filter(MemberView::active).count();
      out.add(
          new PoolView(
              p.name(),
              p.fallback(),
              new PoolView.Totals(members.size(), active, members.size() - active),
              members));
    }
    return out;
  }

  /** The live state of every member, read on the scheduler's thread. */
  private CompletableFuture<Map<String, Live>> live(RoutesConfig routes) {
    List<MemberConfig> members = List.copyOf(routes.members().values());
    List<String> destinations = new ArrayList<>(routes.destinations().keySet());
    if (!destinations.contains(DestinationConfig.DEFAULT)) {
      destinations.add(DestinationConfig.DEFAULT);
    }
    CompletableFuture<Map<String, Traffic>> traffic =
        scheduler.traffic(
            t -> {
              Instant now = clock.instant();
              Map<String, Traffic> out = new LinkedHashMap<>();
              for (MemberConfig m : members) {
                out.put(m.name(), traffic(t, m, destinations, now));
              }
              return out;
            });
    CompletableFuture<Map<String, Activity>> activity =
        scheduler.activity(
            a -> {
              Instant now = clock.instant();
              Map<String, Activity> out = new LinkedHashMap<>();
              for (MemberConfig m : members) {
                out.put(m.name(), activity(a, m.name(), now));
              }
              return out;
            });
    return traffic.thenCombine(
        activity,
        (t, a) -> {
          Map<String, Live> out = new LinkedHashMap<>();
          t.forEach((name, tr) -> out.put(name, new Live(tr, a.get(name))));
          return out;
        });
  }

  private static Traffic traffic(
      TrafficControl t, MemberConfig m, List<String> destinations, Instant now) {
    MemberState whole = t.state(m, "*", now);
    MemberVerdict verdict = t.eligibility(now).check(m, DestinationConfig.DEFAULT);
    List<MemberView.Warmup> warmup = new ArrayList<>();
    Optional<WarmupStatus> warmupDefault = Optional.empty();
    if (m.warmup().isPresent()) {
      for (String d : destinations) {
        Optional<WarmupStatus> w = t.state(m, d, now).warmup();
        if (w.isPresent()) {
          WarmupStatus s = w.get();
          warmup.add(new MemberView.Warmup(d, s.day(), s.allowance(), s.sent(), s.pausedToday()));
          if (d.equals(DestinationConfig.DEFAULT)) {
            warmupDefault = w;
          }
        }
      }
    }
    List<MemberView.Suspension> suspensions = new ArrayList<>();
    for (Suspension s : t.suspensions(now)) {
      if (s.scope() == Suspension.Scope.MEMBER && s.subject().equals(m.name())) {
        suspensions.add(
            new MemberView.Suspension(
                s.destination(), s.setBy(), s.reason(), s.untilResumed() ? null : s.until()));
      }
    }
    return new Traffic(whole, verdict, warmup, warmupDefault, suspensions);
  }

  private static Activity activity(DeliveryActivity a, String member, Instant now) {
    return new Activity(
        a.ratePerMinute(member, now),
        a.connections(member),
        a.lastError(member).map(e -> new MemberView.LastError(e.at(), e.reply())).orElse(null));
  }

  private static MemberView view(
      MemberConfig m, int configuredWeight, MemberView.OperatorOverride override, Live live) {
    Traffic t = live.traffic;
    String status;
    String detail;
    double factor;
    if (t.verdict instanceof MemberVerdict.Ineligible out) {
      status = out.reason().label();
      detail = out.detail();
      factor = 0;
    } else {
      factor = ((MemberVerdict.Eligible) t.verdict).weightFactor();
      HealthState health = t.whole.health().state();
      if (health != HealthState.HEALTHY) {
        status = health.name().toLowerCase(Locale.ROOT);
        detail = t.whole.health().detail();
      } else if (t.warmupDefault.isPresent()) {
        WarmupStatus w = t.warmupDefault.get();
        status = "warmup";
        detail =
            "warmup day "
                + w.day()
                + ": "
                + w.sent()
                + " of "
                + w.allowance()
                + " sent today to "
                + DestinationConfig.DEFAULT;
      } else {
        status = "healthy";
        detail = "";
      }
    }
    List<MemberView.Quota> quota = new ArrayList<>();
    quota(quota, "hour", m.limits().perHour(), t.whole);
    quota(quota, "day", m.limits().perDay(), t.whole);
    return new MemberView(
        m.name(),
        m.relay().isPresent() ? "relay" : "direct",
        m.relay().map(r -> r.host() + ":" + r.port()).orElse(m.sourceIp().orElse(null)),
        m.weight(),
        configuredWeight,
        Math.round(m.weight() * factor * 100) / 100.0,
        status,
        factor > 0,
        detail,
        override,
        quota,
        live.activity.ratePerMinute,
        live.activity.connections,
        t.warmup,
        live.activity.lastError,
        t.suspensions);
  }

  private static void quota(
      List<MemberView.Quota> out, String window, java.util.OptionalLong limit, MemberState s) {
    if (limit.isPresent()) {
      long used = s.quotaUsed().getOrDefault(window, 0L);
      out.add(
          new MemberView.Quota(
              window, used, limit.getAsLong(), Math.max(0, limit.getAsLong() - used)));
    }
  }

  private record Traffic(
      MemberState whole,
      MemberVerdict verdict,
      List<MemberView.Warmup> warmup,
      Optional<WarmupStatus> warmupDefault,
      List<MemberView.Suspension> suspensions) {}

  private record Activity(long ratePerMinute, int connections, MemberView.LastError lastError) {}

  private record Live(Traffic traffic, Activity activity) {}
}
