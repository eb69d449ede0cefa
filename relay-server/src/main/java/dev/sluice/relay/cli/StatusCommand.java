package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code sluice status}: the daemon at a glance ({@code GET /api/v1/status}). */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the running daemon: version, listeners, spool, queue and policy.")
final class StatusCommand extends ApiCommand {
  @Override
  Request request() {
    return Request.get(path("status"));
  }

  @Override
  void print(PrintWriter out, JsonNode b) {
    out.printf(
        "sluice %s on %s, up %ds (since %s)%n",
        b.path("version").asText(),
        b.path("hostname").asText(),
        b.path("uptime_seconds").asLong(),
        b.path("started_at").asText());
    JsonNode spool = b.path("spool");
    out.printf(
        "spool: %d messages, %s, %s%n",
        spool.path("messages").asLong(),
        spool.path("healthy").asBoolean() ? "healthy" : "UNHEALTHY",
        spool.path("writable").asBoolean() ? "writable" : "NOT WRITABLE");
    JsonNode queue = b.path("queue");
    out.printf(
        "queue: %d waiting, %d ready, %d in flight, %d active%n",
        queue.path("waiting").asLong(),
        queue.path("ready").asLong(),
        queue.path("in_flight").asLong(),
        queue.path("active").asLong());
    JsonNode policy = b.path("policy");
    out.printf(
        "policy: %s, %d pools, %d rules, %d overrides, loaded %s%n",
        policy.path("file").isNull() ? "built-in" : policy.path("file").asText(),
        policy.path("pools").asInt(),
        policy.path("rules").asInt(),
        policy.path("overrides").asInt(),
        policy.path("loaded_at").asText());
    Table listeners = new Table("LISTENER", "MODE", "ADDRESS");
    b.path("listeners")
        .forEach(
            l ->
                listeners.row(
                    l.path("name").asText(), l.path("mode").asText(), l.path("address").asText()));
    listeners.print(out);
  }
}
