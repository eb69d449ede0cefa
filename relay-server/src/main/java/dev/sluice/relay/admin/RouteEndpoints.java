package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.cli.DecisionJson;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.routing.Decision;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Headers;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/route}: a dry run of the routing decision for one recipient, answered as
 * {@code sluice route --json} prints it. Unlike the CLI it decides with the live state (health,
 * suspensions, quotas, warmup), read on the scheduler's thread. It asks a fresh router of the
 * running policy, so the dry run never moves the live round-robin; which member of equal standing
 * it names may therefore differ from the next real message.
 */
public final class RouteEndpoints {
  private RouteEndpoints() {}

  public static void register(
      AdminRoutes routes, Supplier<Router> router, Scheduler scheduler, Clock clock) {
    routes.post(
        "/api/v1/route",
        request -> {
          Envelope envelope = envelope(request.json());
          Router dryRun = new Router(router.get().config());
          return scheduler.traffic(
              t -> {
                Instant now = clock.instant();
                Decision d = dryRun.route(envelope, new RoutingSnapshot(now, t.eligibility(now)));
                return AdminResponse.ok(DecisionJson.of(envelope, d));
              });
        });
  }

  private static Envelope envelope(JsonNode body) {
    String from = required(body, "from");
    String to = required(body, "to");
    if (to.indexOf('@') <= 0) {
      throw new ApiException(400, "'to' must be an email address (local@domain), not '" + to + "'");
    }
    String tenant = MessageEndpoints.optionalText(body, "tenant");
    String client = MessageEndpoints.optionalText(body, "client");
    return new Envelope(
        from.equals("<>") ? "" : from,
        to,
        headers(body.get("headers")),
        Optional.of(tenant).filter(s -> !s.isEmpty()),
        Optional.of(client).filter(s -> !s.isEmpty()));
  }

  private static String required(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw new ApiException(400, "'" + field + "' is required");
    }
    if (!n.isTextual()) {
      throw new ApiException(400, "'" + field + "' must be a string");
    }
    return n.asText();
  }

  /** {@code {"X-Message-Type": "transactional"}}: one value per name. */
  private static Headers headers(JsonNode node) {
    if (node == null || node.isNull()) {
      return Headers.NONE;
    }
    if (!node.isObject()) {
      throw new ApiException(400, "'headers' must be an object of header names to values");
    }
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!f.getValue().isTextual()) {
        throw new ApiException(400, "header '" + f.getKey() + "' must have a string value");
      }
      fields.add(Map.entry(f.getKey(), f.getValue().asText()));
    }
    return Headers.of(fields);
  }
}
