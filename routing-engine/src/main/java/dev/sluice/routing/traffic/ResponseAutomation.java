package dev.sluice.routing.traffic;

import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.ResponseRule;
import dev.sluice.routing.config.RoutesConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The response rules of routes.yaml at work: a reply that matches a destination's rule counts
 * toward the rule's trigger — once per attempt, however many recipients got it — and a fired rule
 * suspends the member or the tenant, throttles the member toward the destination, or bounces the
 * recipients that got the reply. Not thread-safe: owned by the scheduler's thread.
 */
final class ResponseAutomation {
  private final RoutesConfig routes;
  private final Aimd aimd;
  private final TrafficStore store;
  private final Consumer<Suspension> suspend;
  private final TrafficEvent.Sink events;
  private final Map<String, ThresholdTrigger> triggers = new HashMap<>();

  ResponseAutomation(
      RoutesConfig routes,
      Aimd aimd,
      TrafficStore store,
      Consumer<Suspension> suspend,
      TrafficEvent.Sink events) {
    this.routes = routes;
    this.aimd = aimd;
    this.store = store;
    this.suspend = suspend;
    this.events = events;
  }

  /**
   * The same automation for a reloaded policy: the count of a trigger carries over while its
   * destination still has the rule with the same trigger, and starts afresh otherwise.
   */
  ResponseAutomation reconfigured(RoutesConfig newRoutes, Aimd newAimd) {
    ResponseAutomation next = new ResponseAutomation(newRoutes, newAimd, store, suspend, events);
    for (DestinationConfig d : newRoutes.destinations().values()) {
      DestinationConfig before = routes.destinations().get(d.name());
      for (ResponseRule rule : d.responses()) {
        String key = d.name() + "|" + rule.name();
        boolean same =
            before != null
                && before.responses().stream()
                    .anyMatch(
                        r -> r.name().equals(rule.name()) && r.trigger().equals(rule.trigger()));
        if (same && triggers.containsKey(key)) {
          next.triggers.put(key, triggers.get(key));
        }
      }
    }
    return next;
  }

  /** Applies the rules the attempt's replies match; returns the recipients to bounce, with why. */
  Map<String, String> apply(AttemptReport report, Instant now) {
    DestinationConfig d = routes.destinations().get(report.destination());
    if (d == null || d.responses().isEmpty()) {
      return Map.of();
    }
    Map<ResponseRule, List<AttemptReport.Result>> matched = new LinkedHashMap<>();
    for (AttemptReport.Result r : report.results()) {
      if (r.code() == 0) {
        continue;
      }
      for (ResponseRule rule : d.responses()) {
        if (rule.pattern().matcher(r.reply()).find()) {
          matched.computeIfAbsent(rule, k -> new ArrayList<>()).add(r);
          break;
        }
      }
    }
    Map<String, String> bounce = new HashMap<>();
    matched.forEach(
        (rule, results) -> {
          if (fires(rule, report, now)) {
            act(rule, report, results, now, bounce);
          }
        });
    return bounce;
  }

  private boolean fires(ResponseRule rule, AttemptReport report, Instant now) {
    if (rule.trigger().isEmpty()) {
      return true;
    }
    String destination = report.destination();
    return triggers
        .computeIfAbsent(
            destination + "|" + rule.name(), n -> new ThresholdTrigger(rule.trigger().get()))
        .hit(TrafficControl.pathKey(report.member(), destination), now);
  }

  private void act(
      ResponseRule rule,
      AttemptReport report,
      List<AttemptReport.Result> results,
      Instant now,
      Map<String, String> bounce) {
    MemberConfig member = report.member();
    String destination = report.destination();
    String reply = results.get(0).reply();
    Instant until = now.plus(rule.duration());
    ResponseRule.Action action = rule.action();
    if (action instanceof ResponseRule.Bounce) {
      results.forEach(r -> bounce.put(r.recipient(), "response rule " + rule.name()));
    } else if (action instanceof ResponseRule.SuspendMember) {
      suspend.accept(
          new Suspension(
              Suspension.Scope.MEMBER, member.name(), destination, rule.name(), reply, now, until));
    } else if (action instanceof ResponseRule.SuspendTenant && report.tenant().isPresent()) {
      suspend.accept(
          new Suspension(
              Suspension.Scope.TENANT,
              report.tenant().get(),
              TrafficKeys.ALL,
              rule.name(),
              reply,
              now,
              until));
    } else if (action instanceof ResponseRule.Throttle t) {
      String path = TrafficControl.pathKey(member, destination);
      aimd.cut(path, t.factor(), now);
      store.put(TrafficKeys.throttleHold(member.name(), destination), rule.name(), until, now);
      events.accept(throttled(report, now, aimd.factor(path), rule.name() + " until " + until));
    }
  }

  /** The {@code throttled} event: the factor now applied to the rate and connections. */
  static TrafficEvent throttled(AttemptReport report, Instant now, double factor, String why) {
    return new TrafficEvent(
        "throttled",
        now,
        report.member().name(),
        report.destination(),
        String.format(Locale.ROOT, "rate and connections at %.0f%%: %s", factor * 100, why));
  }
}
