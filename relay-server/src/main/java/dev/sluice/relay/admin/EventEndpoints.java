package dev.sluice.relay.admin;

import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventRing;
import java.util.Map;

/**
 * {@code GET /api/v1/events?limit=N}: the latest events, newest first, as {@code
 * {"events":[{"type", "at", …fields}]}} (limit 1 to the ring's size, default 100).
 */
public final class EventEndpoints {
  private static final int DEFAULT_LIMIT = 100;

  private EventEndpoints() {}

  public static void register(AdminRoutes routes, EventRing ring) {
    routes.get(
        "/api/v1/events",
        Endpoint.of(
            request -> {
              int limit =
                  request.intParam(
                      "limit", Math.min(DEFAULT_LIMIT, ring.capacity()), ring.capacity());
              return AdminResponse.ok(
                  Map.of("events", ring.latest(limit).stream().map(Event::toMap).toList()));
            }));
  }
}
