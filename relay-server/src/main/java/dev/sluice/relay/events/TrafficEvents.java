package dev.sluice.relay.events;

import dev.sluice.routing.traffic.TrafficEvent;

/**
 * Turns traffic control's state changes ({@code member_down}, {@code throttled} …) into events. A
 * {@code tenant_suspended} event names the tenant; the others the member and the destination
 * ({@code *} for the whole member).
 */
public final class TrafficEvents implements TrafficEvent.Sink {
  private final EventSink events;

  public TrafficEvents(EventSink events) {
    this.events = events;
  }

  @Override
  public void accept(TrafficEvent e) {
    Event.Builder b = Event.of(e.type(), e.at());
    if (e.type().equals("tenant_suspended")) {
      b.with("tenant", e.member());
    } else {
      b.with("member", e.member()).with("destination", e.destination());
    }
    events.accept(b.with("detail", e.detail()).build());
  }
}
