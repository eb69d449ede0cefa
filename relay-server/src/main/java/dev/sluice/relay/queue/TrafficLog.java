package dev.sluice.relay.queue;

import dev.sluice.routing.traffic.TrafficEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where traffic-control events go on this node: one log line each ({@code member_down member=ses
 * destination=* detail="…"}), and a count per event type for the metrics.
 */
public final class TrafficLog implements TrafficEvent.Sink {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void accept(TrafficEvent event) {
    DeliveryLog.path(event.type(), event.member(), event.destination(), event.detail());
    counts.computeIfAbsent(event.type(), t -> new LongAdder()).increment();
  }

  /** How many events of each type happened since the start. */
  public Map<String, Long> counts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    counts.forEach((type, n) -> out.put(type, n.sum()));
    return out;
  }
}
