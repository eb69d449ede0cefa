package dev.sluice.relay.smtp.in;

import dev.sluice.routing.config.RoutingSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the routing headers of an accepted message (the route, message-type and priority headers
 * routes.yaml names) so that routing can use them at every attempt, and takes the route and
 * message-type headers out of the message unless {@code strip_routing_headers} is false: recipients
 * never see how their mail was steered. The priority header ({@code X-Priority} by default) is a
 * header mail clients show, so it stays. Pure.
 *
 * @param values the first value of each routing header present, by its configured name
 * @param body the message, without the stripped headers
 */
public record RoutingHeaders(Map<String, String> values, byte[] body) {
  public RoutingHeaders {
    values = Map.copyOf(values);
  }

  /** Reads (and, as configured, strips) the routing headers of {@code body}. */
  public static RoutingHeaders read(byte[] body, RoutingSettings settings) {
    String route = settings.routeHeader().toLowerCase(Locale.ROOT);
    String type = settings.messageTypeHeader().toLowerCase(Locale.ROOT);
    String priority = settings.priorityHeader().toLowerCase(Locale.ROOT);
    Map<String, String> values = new LinkedHashMap<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    int headerEnd = TraceHeaders.headerEnd(body);
    int start = 0;
    while (start < headerEnd) {
      int end = fieldEnd(body, start, headerEnd);
      String field = new String(body, start, end - start, StandardCharsets.UTF_8);
      int colon = field.indexOf(':');
      String name = colon > 0 ? field.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
      boolean routing = name.equals(route) || name.equals(type) || name.equals(priority);
      if (routing) {
        // RFC 5322 §2.2.3: unfold the continuation lines.
        String value = field.substring(colon + 1).replaceAll("\r\n[ \t]+", " ").strip();
        values.putIfAbsent(configuredName(name, settings), value);
      }
      boolean strip = settings.stripRoutingHeaders() && (name.equals(route) || name.equals(type));
      if (!strip) {
        out.write(body, start, end - start);
      }
      start = end;
    }
    out.write(body, headerEnd, body.length - headerEnd);
    return new RoutingHeaders(values, out.toByteArray());
  }

  /** The end of the header field starting at {@code start}: after its last continuation line. */
  private static int fieldEnd(byte[] body, int start, int headerEnd) {
    int i = start;
    while (i < headerEnd) {
      while (i < headerEnd && body[i] != '\n') {
        i++;
      }
      i++; // past the LF
      if (i >= headerEnd || (body[i] != ' ' && body[i] != '\t')) {
        return Math.min(i, headerEnd);
      }
    }
    return headerEnd;
  }

  private static String configuredName(String lowerName, RoutingSettings settings) {
    for (String name :
        new String[] {
          settings.routeHeader(), settings.messageTypeHeader(), settings.priorityHeader()
        }) {
      if (name.toLowerCase(Locale.ROOT).equals(lowerName)) {
        return name;
      }
    }
    return lowerName;
  }
}
