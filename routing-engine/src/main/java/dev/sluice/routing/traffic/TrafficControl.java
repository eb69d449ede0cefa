package dev.sluice.routing.traffic;

import dev.sluice.routing.Decision;
import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RouteAction;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.TenantConfig;
import dev.sluice.routing.config.TrafficSettings;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Traffic control as the scheduler sees it: which members may take traffic now and at what share
 * (health, suspensions, quotas, warmup, reputation), what an attempt may use up (quotas, warmup
 * allowance, rate limits at every layer), and what every attempt teaches (passive health, adaptive
 * throttling, response automation, warmup pauses, reputation). Counters, buckets, warmup progress
 * and suspensions live in the {@link TrafficStore}, shared by a cluster; health, throttling and
 * reputation are what this node observed.
 *
 * <p>Not thread-safe: owned by the scheduler's thread. Time comes from the caller.
 */
public final class TrafficControl {
  private final TrafficStore store;
  private final TrafficEvent.Sink events;
  private final Map<String, Instant> probedAt = new HashMap<>();
  private RoutesConfig routes;
  private TrafficSettings settings;
  private ZoneId zone;
  private HealthTracker health;
  private Aimd aimd;
  private Reputation reputation;
  private ResponseAutomation responses;
  private Suspensions suspensions;
  private WarmupTracker warmup;
  private List<MemberConfig> members;

  public TrafficControl(RoutesConfig routes, TrafficStore store, TrafficEvent.Sink events) {
    this.routes = routes;
    this.settings = routes.traffic();
    this.zone = routes.settings().timeZone();
    this.store = store;
    this.events = events;
    this.health = new HealthTracker(settings.health());
    this.aimd = new Aimd(settings.aimd());
    this.reputation = new Reputation(settings.reputation());
    this.suspensions =
        new Suspensions(store, settings.health().rampStart(), settings.health().ramp());
    this.warmup = new WarmupTracker(store, settings.warmupPause(), zone);
    this.responses = new ResponseAutomation(routes, aimd, store, this::suspend, events);
    this.members = membersOf(routes);
    markProbed();
  }

  /**
   * Takes a reloaded policy (or new operator overrides) and keeps what was learned: health,
   * adaptive throttling, reputation and response-rule counts of the members still in {@code next},
   * by name; counters, warmup progress and suspensions stay in the store. Members gone from {@code
   * next} drop out. A mechanism whose {@code traffic:} settings changed starts afresh under the new
   * ones.
   *
   * @param holds the operators' suspensions in force (each {@link Suspension#untilResumed}),
   *     replacing the previous ones
   */
  public void reconfigure(RoutesConfig next, Collection<Suspension> holds) {
    TrafficSettings before = settings;
    routes = next;
    settings = next.traffic();
    zone = next.settings().timeZone();
    members = membersOf(next);
    Set<String> names = new HashSet<>();
    members.forEach(m -> names.add(m.name()));
    Predicate<String> kept = key -> names.contains(memberOf(key));
    health =
        before.health().equals(settings.health()) ? health : new HealthTracker(settings.health());
    health.retain(kept);
    markProbed();
    aimd = before.aimd().equals(settings.aimd()) ? aimd : new Aimd(settings.aimd());
    aimd.retain(kept);
    reputation =
        before.reputation().equals(settings.reputation())
            ? reputation
            : new Reputation(settings.reputation());
    reputation.retain(names::contains);
    probedAt.keySet().retainAll(names);
    suspensions = new Suspensions(store, settings.health().rampStart(), settings.health().ramp());
    suspensions.hold(holds);
    warmup = new WarmupTracker(store, settings.warmupPause(), zone);
    responses = responses.reconfigured(next, aimd);
  }

  private static List<MemberConfig> membersOf(RoutesConfig routes) {
    return List.copyOf(routes.members().values());
  }

  private void markProbed() {
    for (MemberConfig m : members) {
      if (m.relay().isPresent() && m.relay().get().probe().isPresent()) {
        health.probed(m.name());
      }
    }
  }

  /** The member of a key: {@code member} or {@code member|destination}. */
  private static String memberOf(String key) {
    int bar = key.indexOf('|');
    return bar < 0 ? key : key.substring(0, bar);
  }

  /** Live eligibility at {@code now}, for the router. */
  public Eligibility eligibility(Instant now) {
    return new LiveEligibility(now, zone, store, health, warmup, reputation, suspensions);
  }

  /** The suspension holding a tenant's mail, if one is in force. */
  public Optional<Suspension> tenantSuspension(String tenant, Instant now) {
    return suspensions.tenant(tenant, now);
  }

  /** Every suspension in force. */
  public List<Suspension> suspensions(Instant now) {
    return suspensions.active(now);
  }

  /** Suspends a member (for a destination, or {@code *}) or a tenant, e.g. for an operator. */
  public void suspend(Suspension s) {
    suspensions.suspend(s);
    events.accept(
        new TrafficEvent(
            s.scope() == Suspension.Scope.TENANT ? "tenant_suspended" : "member_suspended",
            s.since(),
            s.subject(),
            s.destination(),
            s.describe()));
  }

  /**
   * Takes one message for {@code address} from its per-recipient limit (the rule's {@code
   * recipient_rate}, else {@code traffic.recipient_rate}). Refused means it is over the limit: the
   * rule's {@code on_recipient_limit} says whether it waits or is bounced.
   */
  public Admission recipient(String address, RouteAction route, Instant now) {
    Optional<Rate> rate = route.recipientLimit(settings);
    if (rate.isEmpty()) {
      return Admission.admitted(now);
    }
    Rate r = rate.get();
    return store.admit(
        List.of(new Charge.Bucket(TrafficKeys.recipientRate(address), 1, r, r.count())), now);
  }

  /**
   * The most recipients one attempt through {@code member} toward {@code destination} may carry:
   * its smallest quota cap (per hour, per day, today's warmup allowance), at least 1. A quota takes
   * a batch whole or not at all, so a larger batch could never be admitted.
   */
  public long largestBatch(MemberConfig member, String destination, Instant now) {
    long largest = Long.MAX_VALUE;
    for (CalendarQuota q : CalendarQuota.of(member, now, zone)) {
      largest = Math.min(largest, q.cap());
    }
    Optional<Long> allowance = warmup.allowance(member, destination, now);
    if (allowance.isPresent()) {
      largest = Math.min(largest, allowance.get());
    }
    return Math.max(1, largest);
  }

  /**
   * Takes what an attempt of {@code recipients} recipients through the decision's member toward
   * {@code destination} uses: calendar quotas, warmup allowance and every rate limit, all or none.
   */
  public Admitted admit(
      Decision.Deliver decision, String destination, int recipients, Instant now) {
    MemberConfig m = decision.member();
    List<Charge> charges = new ArrayList<>();
    for (CalendarQuota q : CalendarQuota.of(m, now, zone)) {
      charges.add(new Charge.Quota(q.key(), recipients, q.cap(), q.resetsAt()));
    }
    warmup.charge(m, destination, recipients, now).ifPresent(charges::add);
    m.limits()
        .rate()
        .ifPresent(r -> charges.add(bucket(TrafficKeys.memberRate(m.name()), recipients, r)));
    DestinationConfig d = routes.destinations().get(destination);
    if (d != null && d.rate().isPresent()) {
      double f = aimd.factor(pathKey(m, destination));
      charges.add(
          bucket(
              TrafficKeys.pathRate(m.name(), destination), recipients, scaled(d.rate().get(), f)));
    }
    decision
        .tenant()
        .flatMap(routes::tenant)
        .flatMap(TenantConfig::rate)
        .ifPresent(
            r ->
                charges.add(
                    bucket(TrafficKeys.tenantRate(decision.tenant().get()), recipients, r)));
    decision
        .route()
        .rate()
        .ifPresent(r -> charges.add(bucket(TrafficKeys.ruleRate(decision.rule()), recipients, r)));
    Admission admission = charges.isEmpty() ? Admission.admitted(now) : store.admit(charges, now);
    List<Charge.Quota> quotas = new ArrayList<>();
    if (admission.isAdmitted()) {
      for (Charge c : charges) {
        if (c instanceof Charge.Quota q) {
          quotas.add(q);
        }
      }
      if (m.warmup().isPresent()) {
        warmup.sent(m, destination, now);
      }
    }
    return new Admitted(admission, quotas);
  }

  /**
   * Gives back the quota an attempt took for the recipients it did not hand over (a failed
   * connection, a deferral): quotas count what receivers accepted or refused, not what we tried.
   */
  public void refund(List<Charge.Quota> taken, long notHandedOver, Instant now) {
    if (notHandedOver <= 0 || taken.isEmpty()) {
      return;
    }
    List<Charge.Quota> back = new ArrayList<>();
    for (Charge.Quota q : taken) {
      back.add(
          new Charge.Quota(q.key(), Math.min(q.amount(), notHandedOver), q.cap(), q.resetsAt()));
    }
    store.refund(back, now);
  }

  /**
   * How many of the connections a (member, destination) is allowed it may use now: adaptive
   * throttling lowers it after throttling replies, never below one.
   */
  public int connections(MemberConfig member, String destination, int allowed) {
    double f = aimd.factor(pathKey(member, destination));
    return f >= 1 ? allowed : Math.max(1, (int) Math.floor(allowed * f));
  }

  /** Learns from one attempt. Returns the recipients a response rule says to bounce, with why. */
  public Map<String, String> observe(AttemptReport report, Instant now) {
    return new Observation(report, now).learn();
  }

  /** Time-driven changes: rechecks come due, ramps end. */
  public void tick(Instant now) {
    health.tick(now).forEach(this::publish);
  }

  /** Relay members whose active probe is due. */
  public List<MemberConfig> probesDue(Instant now) {
    List<MemberConfig> due = new ArrayList<>();
    for (MemberConfig m : members) {
      Optional<Duration> interval = m.relay().flatMap(r -> r.probe());
      if (interval.isEmpty()) {
        continue;
      }
      Instant last = probedAt.get(m.name());
      HealthView v = health.view(m.name(), now);
      boolean recheckDue =
          v.state() == HealthState.DOWN && v.recheckAt().map(t -> !now.isBefore(t)).orElse(false);
      if (last == null || !now.isBefore(last.plus(interval.get())) || recheckDue) {
        probedAt.put(m.name(), now);
        due.add(m);
      }
    }
    return due;
  }

  /** The result of an active probe of a relay member. */
  public void probed(MemberConfig member, boolean ok, String detail, Instant now) {
    health.probe(member.name(), ok, now, detail).ifPresent(this::publish);
  }

  /** When traffic control next changes by itself: the scheduler wakes then to route again. */
  public Optional<Instant> nextChange(Instant now) {
    Optional<Instant> next = health.nextChange(now);
    for (MemberConfig m : members) {
      Optional<Duration> interval = m.relay().flatMap(r -> r.probe());
      if (interval.isPresent()) {
        Instant last = probedAt.getOrDefault(m.name(), now);
        Instant due = last.plus(interval.get());
        next = next.isEmpty() || due.isBefore(next.get()) ? Optional.of(due) : next;
      }
    }
    return next;
  }

  /** The live state of a member toward a destination ({@code *} for the member as a whole). */
  public MemberState state(MemberConfig member, String destination, Instant now) {
    String key = destination.equals(TrafficKeys.ALL) ? member.name() : pathKey(member, destination);
    return new MemberState(
        health.view(key, now),
        aimd.factor(key),
        reputation.factor(member.name(), now),
        suspensions.member(member.name(), destination, now),
        destination.equals(TrafficKeys.ALL)
            ? Optional.empty()
            : warmup.status(member, destination, now),
        quotaUsed(member, now));
  }

  private Map<String, Long> quotaUsed(MemberConfig m, Instant now) {
    Map<String, Long> used = new HashMap<>();
    for (CalendarQuota q : CalendarQuota.of(m, now, zone)) {
      used.put(q.window(), store.count(q.key(), now));
    }
    return used;
  }

  private Charge.Bucket bucket(String key, long amount, Rate rate) {
    double seconds = settings.burstWindow().toNanos() / 1e9;
    long burst = Math.max(1, (long) Math.floor(rate.perSecond() * seconds));
    return new Charge.Bucket(key, amount, rate, burst);
  }

  /** A rate slowed by adaptive throttling: the same count over a longer period. */
  private static Rate scaled(Rate rate, double factor) {
    return factor >= 1
        ? rate
        : new Rate(rate.count(), Duration.ofNanos((long) (rate.period().toNanos() / factor)));
  }

  static String pathKey(MemberConfig member, String destination) {
    return member.name() + "|" + destination;
  }

  private void publish(HealthEvent e) {
    int bar = e.key().indexOf('|');
    String member = memberOf(e.key());
    String destination = bar < 0 ? TrafficKeys.ALL : e.key().substring(bar + 1);
    String type =
        switch (e.to()) {
          case DOWN -> "member_down";
          case DEGRADED -> "member_degraded";
          case PROBATION -> "member_probation";
          case HEALTHY -> "member_up";
        };
    events.accept(new TrafficEvent(type, e.at(), member, destination, e.detail()));
  }

  /**
   * What an attempt through a member may use, all taken or none.
   *
   * @param quotas the quota charges taken, to give back for recipients never handed over
   */
  public record Admitted(Admission admission, List<Charge.Quota> quotas) {
    public Admitted {
      quotas = List.copyOf(quotas);
    }

    /**
     * Whether the member is out for now (a quota or the warmup allowance is used up), so the batch
     * should be routed again, rather than wait for a rate limit to refill.
     */
    public boolean memberOut() {
      return admission.refusedBy().map(c -> c instanceof Charge.Quota).orElse(false);
    }
  }

  /** Learning from one attempt. */
  private final class Observation {
    private final AttemptReport report;
    private final Instant now;
    private final MemberConfig member;
    private final String destination;

    Observation(AttemptReport report, Instant now) {
      this.report = report;
      this.now = now;
      this.member = report.member();
      this.destination = report.destination();
    }

    Map<String, String> learn() {
      // Response rules first: a rule's own cut is the decrease of this reply, not a second one.
      Map<String, String> bounce = responses.apply(report, now);
      long delivered = 0;
      long bounced = 0;
      long deferred = 0;
      boolean throttled = false;
      for (AttemptReport.Result r : report.results()) {
        switch (r.outcome()) {
          case DELIVERED -> {
            delivered++;
            reputation.delivered(member.name(), now);
          }
          case BOUNCED -> {
            bounced++;
            reputation.bounced(member.name(), now);
          }
          case DEFERRED -> {
            deferred++;
            throttled |= Throttling.isThrottling(r.code(), r.reply());
          }
          case UNTRIED -> {}
        }
      }
      String path = pathKey(member, destination);
      if (report.pathFailure().isPresent()) {
        String why = report.pathFailure().get();
        boolean providerWide =
            member.relay().isPresent() || !destination.equals(DestinationConfig.DEFAULT);
        String key = member.relay().isPresent() ? member.name() : path;
        if (providerWide) {
          health.pathFailure(key, now, why).ifPresent(TrafficControl.this::publish);
        } else {
          health.softFailure(path, now, why).ifPresent(TrafficControl.this::publish);
        }
      } else if (delivered > 0 || bounced > 0) {
        health.success(member.name(), now).ifPresent(TrafficControl.this::publish);
        health.success(path, now).ifPresent(TrafficControl.this::publish);
      } else if (deferred > 0) {
        String why = "deferred: " + report.results().get(0).reply();
        health.softFailure(member.name(), now, why).ifPresent(TrafficControl.this::publish);
        health.softFailure(path, now, why).ifPresent(TrafficControl.this::publish);
      }
      if (throttled) {
        aimd.throttled(path, now)
            .ifPresent(
                f ->
                    events.accept(
                        ResponseAutomation.throttled(report, now, f, "throttling reply")));
      } else if (delivered > 0
          && store.get(TrafficKeys.throttleHold(member.name(), destination), now).isEmpty()) {
        aimd.delivered(path, now);
      }
      warmup
          .record(member, destination, delivered + bounced + deferred, bounced, deferred, now)
          .ifPresent(events::accept);
      return bounce;
    }
  }
}
