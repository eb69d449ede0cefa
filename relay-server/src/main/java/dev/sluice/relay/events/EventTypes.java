package dev.sluice.relay.events;

import java.util.List;

/** Every event type Sluice publishes, for validating webhook filters and for the docs. */
public final class EventTypes {
  /**
   * Message events, in the order a message meets them, then traffic-control events, then the
   * ingress's refused logins.
   */
  public static final List<String> ALL =
      List.of(
          "received",
          "routed",
          "attempt",
          "delivered",
          "deferred",
          "bounced",
          "expired",
          "member_down",
          "member_degraded",
          "member_probation",
          "member_up",
          "member_suspended",
          "tenant_suspended",
          "throttled",
          "warmup_paused",
          "auth_failed");

  private EventTypes() {}
}
