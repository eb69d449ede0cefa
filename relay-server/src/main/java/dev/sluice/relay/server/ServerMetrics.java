package dev.sluice.relay.server;

import dev.sluice.relay.events.EventBus;
import dev.sluice.relay.logging.LineWriter;
import dev.sluice.relay.metrics.EventMetrics;
import dev.sluice.relay.metrics.IngressLatency;
import dev.sluice.relay.metrics.PrometheusText;
import dev.sluice.relay.metrics.SummaryFamily;
import dev.sluice.relay.queue.QueueSummary;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.webhooks.WebhookSink;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.PoolConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.traffic.MemberState;
import dev.sluice.routing.traffic.TrafficControl;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One scrape of {@code /metrics}: the event counters and latencies, ingress latency, and the gauges
 * read at scrape time: queue depths and connections from the scheduler, member health and effective
 * weight from traffic control (on the scheduler's thread), and the losses of the spool
 * (quarantine), logs and webhooks.
 */
final class ServerMetrics {
  private static final List<String> STATES =
      List.of("healthy", "degraded", "down", "probation", "suspended");

  private final EventMetrics events;
  private final IngressLatency ingress;
  private final Supplier<Scheduler> scheduler;
  private final Supplier<RoutesConfig> routes;
  private final IntSupplier idleConnections;
  private final LongSupplier quarantined;
  private final EventBus bus;
  private final LineWriter log;
  private final List<WebhookSink> webhooks;
  private final Clock clock;

  ServerMetrics(
      EventMetrics events,
      IngressLatency ingress,
      Supplier<Scheduler> scheduler,
      Supplier<RoutesConfig> routes,
      IntSupplier idleConnections,
      LongSupplier quarantined,
      EventBus bus,
      LineWriter log,
      List<WebhookSink> webhooks,
      Clock clock) {
    this.events = events;
    this.ingress = ingress;
    this.scheduler = scheduler;
    this.routes = routes;
    this.idleConnections = idleConnections;
    this.quarantined = quarantined;
    this.bus = bus;
    this.log = log;
    this.webhooks = List.copyOf(webhooks);
    this.clock = clock;
  }

  /** The member gauges of one pool member, read on the scheduler's thread. */
  private record MemberGauge(
      String pool, String member, String state, int weight, double effective) {}

  CompletableFuture<String> scrape() {
    Scheduler s = scheduler.get();
    RoutesConfig policy = routes.get();
    return s.summary()
        .thenCombine(
            s.traffic(traffic -> members(traffic, policy, clock.instant())),
            (queue, members) -> {
              PrometheusText out = new PrometheusText();
              events.write(out);
              ingress(out);
              queue(out, queue);
              members(out, members);
              losses(out);
              return out.toString();
            });
  }

  private void ingress(PrometheusText out) {
    out.family(
        "sluice_ingress_ack_duration_seconds",
        "summary",
        "Time from the end of DATA to the 250 reply, spool fsync included (HdrHistogram, since"
            + " start).");
    SummaryFamily.write(
        out,
        "sluice_ingress_ack_duration_seconds",
        List.of(),
        List.of(),
        ingress.snapshot(),
        ingress.sumSeconds());
  }

  private void queue(PrometheusText out, QueueSummary q) {
    out.family(
        "sluice_queue_messages",
        "gauge",
        "Messages held by the scheduler: waiting for their next attempt, or being worked on.");
    out.sample("sluice_queue_messages", List.of("state"), List.of("waiting"), q.waiting());
    out.sample("sluice_queue_messages", List.of("state"), List.of("active"), q.active());
    out.family(
        "sluice_queue_ready_batches",
        "gauge",
        "Routed batches of recipients waiting for a connection slot.");
    out.sample("sluice_queue_ready_batches", q.ready());
    out.family(
        "sluice_outbound_connections",
        "gauge",
        "Outbound SMTP connections: busy with an attempt, or idle and kept for reuse.");
    out.sample("sluice_outbound_connections", List.of("state"), List.of("busy"), q.inFlight());
    out.sample(
        "sluice_outbound_connections",
        List.of("state"),
        List.of("idle"),
        idleConnections.getAsInt());
  }

  private static List<MemberGauge> members(
      TrafficControl traffic, RoutesConfig policy, Instant now) {
    List<MemberGauge> out = new ArrayList<>();
    for (PoolConfig pool : policy.pools().values()) {
      for (MemberConfig m : pool.members()) {
        MemberState st = traffic.state(m, "*", now);
        boolean suspended = st.suspension().isPresent();
        String state =
            suspended ? "suspended" : st.health().state().name().toLowerCase(Locale.ROOT);
        double effective =
            suspended ? 0 : m.weight() * st.health().weightFactor() * st.reputation();
        out.add(new MemberGauge(pool.name(), m.name(), state, m.weight(), effective));
      }
    }
    return out;
  }

  private static void members(PrometheusText out, List<MemberGauge> members) {
    List<String> labels = List.of("pool", "member", "state");
    out.family(
        "sluice_member_state",
        "gauge",
        "1 for the state a member is in as a whole (healthy, degraded, down, probation,"
            + " suspended), 0 for the others.");
    for (MemberGauge g : members) {
      for (String state : STATES) {
        out.sample(
            "sluice_member_state",
            labels,
            List.of(g.pool(), g.member(), state),
            state.equals(g.state()) ? 1 : 0);
      }
    }
    out.family("sluice_member_weight", "gauge", "A member's weight as configured in routes.yaml.");
    for (MemberGauge g : members) {
      out.sample(
          "sluice_member_weight",
          List.of("pool", "member"),
          List.of(g.pool(), g.member()),
          g.weight());
    }
    out.family(
        "sluice_member_effective_weight",
        "gauge",
        "A member's weight after health and reputation (0 when down or suspended).");
    for (MemberGauge g : members) {
      out.sample(
          "sluice_member_effective_weight",
          List.of("pool", "member"),
          List.of(g.pool(), g.member()),
          g.effective());
    }
  }

  private void losses(PrometheusText out) {
    out.family(
        "sluice_spool_quarantined_total",
        "counter",
        "Damaged spool messages (or records of no legible message) moved to quarantine/ since"
            + " start; they are not delivered until an operator re-injects them.");
    out.sample("sluice_spool_quarantined_total", quarantined.getAsLong());
    out.family(
        "sluice_log_lines_dropped_total",
        "counter",
        "Log lines lost because the log could not keep up or could not be written.");
    out.sample("sluice_log_lines_dropped_total", log.dropped());
    out.family(
        "sluice_event_sink_failures_total",
        "counter",
        "Events a sink (log, metrics, webhook) failed on; the others still got them.");
    out.sample("sluice_event_sink_failures_total", bus.failures());
    List<String> label = List.of("webhook");
    out.family(
        "sluice_webhook_events_sent_total", "counter", "Events a webhook endpoint accepted (2xx).");
    webhooks.forEach(
        w -> out.sample("sluice_webhook_events_sent_total", label, List.of(w.name()), w.sent()));
    out.family(
        "sluice_webhook_posts_failed_total",
        "counter",
        "Webhook POSTs that failed (timeout, connection refused, non-2xx); each is retried with"
            + " backoff until its attempts run out.");
    webhooks.forEach(
        w ->
            out.sample(
                "sluice_webhook_posts_failed_total", label, List.of(w.name()), w.failedPosts()));
    out.family(
        "sluice_webhook_events_dropped_total",
        "counter",
        "Events never delivered to a webhook: its queue was full (oldest dropped) or their batch"
            + " ran out of attempts.");
    webhooks.forEach(
        w ->
            out.sample(
                "sluice_webhook_events_dropped_total", label, List.of(w.name()), w.dropped()));
  }
}
