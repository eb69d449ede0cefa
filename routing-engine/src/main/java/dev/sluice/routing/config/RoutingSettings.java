package dev.sluice.routing.config;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The {@code routing:} section: which headers steer routing and the defaults for messages that do
 * not carry them.
 *
 * @param routeHeader header naming a pool, honoured only for tenants that may steer
 * @param messageTypeHeader header carrying the message type ({@code transactional}, {@code bulk}…)
 * @param defaultMessageType message type of a message without that header
 * @param priorityHeader header carrying a message priority 1 (most urgent) to 10
 * @param defaultPriority priority of a message whose rule sets none
 * @param timeZone zone of time windows that name none
 * @param stripRoutingHeaders whether the routing headers are removed before delivery
 */
public record RoutingSettings(
    String routeHeader,
    String messageTypeHeader,
    String defaultMessageType,
    String priorityHeader,
    int defaultPriority,
    ZoneId timeZone,
    boolean stripRoutingHeaders) {
  public static final RoutingSettings DEFAULTS =
      new RoutingSettings(
          "X-Route", "X-Message-Type", "bulk", "X-Priority", 5, ZoneId.of("UTC"), true);

  public RoutingSettings {
    Objects.requireNonNull(routeHeader, "routeHeader");
    Objects.requireNonNull(messageTypeHeader, "messageTypeHeader");
    Objects.requireNonNull(defaultMessageType, "defaultMessageType");
    Objects.requireNonNull(priorityHeader, "priorityHeader");
    Objects.requireNonNull(timeZone, "timeZone");
  }
}
