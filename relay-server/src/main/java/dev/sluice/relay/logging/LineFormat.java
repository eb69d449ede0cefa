package dev.sluice.relay.logging;

import dev.sluice.relay.admin.Json;
import dev.sluice.relay.config.LoggingConfig;
import dev.sluice.relay.events.Event;
import java.util.Map;

/**
 * How one event becomes one line: a JSON object ({@code {"type":"delivered","at":"…",…}}), or for
 * people {@code 2026-04-01T10:00:00Z delivered message_id=… reply="250 2.0.0 Ok"}.
 */
public final class LineFormat {
  private LineFormat() {}

  public static String of(LoggingConfig.Format format, Event event) {
    return format == LoggingConfig.Format.JSON ? Json.line(event.toMap()) : text(event.toMap());
  }

  /** {@code at type key=value …}; values with spaces or quotes are quoted. */
  static String text(Map<String, Object> fields) {
    StringBuilder s = new StringBuilder();
    s.append(fields.get("at")).append(' ').append(fields.get("type"));
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (e.getKey().equals("at") || e.getKey().equals("type")) {
        continue;
      }
      s.append(' ').append(e.getKey()).append('=').append(value(String.valueOf(e.getValue())));
    }
    return s.toString();
  }

  private static String value(String v) {
    boolean plain = !v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\\');
    if (plain) {
      return v;
    }
    return '"'
        + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
        + '"';
  }
}
