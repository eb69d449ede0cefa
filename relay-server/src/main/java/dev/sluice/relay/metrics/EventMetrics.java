package dev.sluice.relay.metrics;

import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventSink;

/**
 * The counters and latency summaries that events feed: messages received, recipients delivered,
 * deferred, bounced (by category) and expired by pool, member, destination and tenant; attempts and
 * their latency; the delay from receipt to delivery; traffic-control events by type. Labels are
 * names from routes.yaml and categories, never addresses. Thread-safe.
 */
public final class EventMetrics implements EventSink {
  private static final String[] PATH = {"pool", "member", "destination", "tenant"};

  final CounterFamily received =
      new CounterFamily(
          "sluice_messages_received_total", "Messages accepted (answered 250).", "tenant");
  final CounterFamily delivered =
      new CounterFamily(
          "sluice_recipients_delivered_total", "Recipients the next hop accepted.", PATH);
  final CounterFamily deferred =
      new CounterFamily(
          "sluice_recipients_deferred_total",
          "Recipients deferred for a later attempt (an empty pool means no path was available).",
          PATH);
  final CounterFamily bounced =
      new CounterFamily(
          "sluice_recipients_bounced_total",
          "Recipients refused permanently, by bounce category.",
          "pool",
          "member",
          "destination",
          "tenant",
          "category");
  final CounterFamily expired =
      new CounterFamily(
          "sluice_recipients_expired_total",
          "Recipients that outlived the queue lifetime.",
          "tenant");
  final CounterFamily attempts =
      new CounterFamily(
          "sluice_attempts_total",
          "Delivery attempts; result is ok or path_failed.",
          "pool",
          "member",
          "destination",
          "result");
  final CounterFamily traffic =
      new CounterFamily(
          "sluice_traffic_events_total",
          "Traffic-control events (member_down, throttled ...) by type.",
          "type");
  final CounterFamily authFailures =
      new CounterFamily(
          "sluice_auth_failures_total",
          "Refused AUTH attempts; result is rejected (wrong credentials) or throttled.",
          "result");
  final SummaryFamily attemptLatency =
      new SummaryFamily(
          "sluice_attempt_duration_seconds",
          "Time of one delivery attempt, connection included (HdrHistogram, since start).",
          "pool",
          "member");
  final SummaryFamily deliveryDelay =
      new SummaryFamily(
          "sluice_delivery_delay_seconds",
          "Time from receipt (250) to delivery of a recipient (HdrHistogram, since start).",
          "pool");

  @Override
  public void accept(Event e) {
    switch (e.type()) {
      case "received" -> received.inc(e.text("tenant"));
      case "delivered" -> {
        delivered.inc(path(e));
        deliveryDelay.record(e.number("delay_ms") * 1000, e.text("pool"));
      }
      case "deferred" -> deferred.inc(path(e));
      case "bounced" ->
          bounced.inc(
              e.text("pool"),
              e.text("member"),
              e.text("destination"),
              e.text("tenant"),
              e.text("category"));
      case "expired" -> expired.inc(e.text("tenant"));
      case "attempt" -> {
        attempts.inc(e.text("pool"), e.text("member"), e.text("destination"), e.text("result"));
        attemptLatency.record(e.number("elapsed_ms") * 1000, e.text("pool"), e.text("member"));
      }
      case "auth_failed" -> authFailures.inc(e.text("result"));
      case "routed", "log" -> {
        // routing decisions are counted by their outcomes
      }
      default -> traffic.inc(e.type());
    }
  }

  private static String[] path(Event e) {
    return new String[] {e.text("pool"), e.text("member"), e.text("destination"), e.text("tenant")};
  }

  /** Writes every family, in a fixed order. */
  public void write(PrometheusText out) {
    received.write(out);
    delivered.write(out);
    deferred.write(out);
    bounced.write(out);
    expired.write(out);
    attempts.write(out);
    attemptLatency.write(out);
    deliveryDelay.write(out);
    traffic.write(out);
    authFailures.write(out);
  }
}
