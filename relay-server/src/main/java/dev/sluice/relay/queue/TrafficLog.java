package dev.sluice.relay.queue;

import dev.sluice.routing.traffic.TrafficEvent;
import java.lang.System.Logger.Level;

/**
 * Where traffic-control events go on this node: one log line each ({@code member_down member=ses
 * destination=* detail="…"}); a member coming back is news, the rest is a warning.
 */
public final class TrafficLog implements TrafficEvent.Sink {
  @Override
  public void accept(TrafficEvent event) {
    Level level =
        event.type().equals("member_up") || event.type().equals("member_probation")
            ? Level.INFO
            : Level.WARNING;
    DeliveryLog.path(level, event.type(), event.member(), event.destination(), event.detail());
  }
}
