package dev.sluice.relay.queue;

import dev.sluice.routing.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The header fields of a spooled message, as routing reads them at each attempt: the fields of the
 * header section (unfolded, RFC 5322 §2.2.3) plus the routing headers read at acceptance, which the
 * body may no longer carry. Pure.
 */
final class MessageHeaders {
  /** Routing looks at a few headers; a header section past this size is not read further. */
  private static final int MAX_HEADER_BYTES = 256 * 1024;

  private MessageHeaders() {}

  static Headers read(ByteBuffer body, Map<String, String> routingHeaders) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    ByteBuffer b = body.duplicate();
    int end = Math.min(b.limit(), b.position() + MAX_HEADER_BYTES);
    int i = b.position();
    StringBuilder field = null;
    while (i < end) {
      int lineEnd = i;
      while (lineEnd < end && b.get(lineEnd) != '\n') {
        lineEnd++;
      }
      int textEnd = lineEnd > i && b.get(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      if (textEnd == i) {
        break; // the empty line that ends the header section
      }
      byte first = b.get(i);
      String line = text(b, i, textEnd);
      if ((first == ' ' || first == '\t') && field != null) {
        field.append(' ').append(line.strip());
      } else {
        add(fields, field);
        field = new StringBuilder(line);
      }
      i = lineEnd + 1;
    }
    add(fields, field);
    routingHeaders.forEach((name, value) -> fields.add(Map.entry(name, value)));
    return Headers.of(fields);
  }

  private static void add(List<Map.Entry<String, String>> fields, StringBuilder field) {
    if (field == null) {
      return;
    }
    int colon = field.indexOf(":");
    if (colon > 0) {
      fields.add(Map.entry(field.substring(0, colon).strip(), field.substring(colon + 1).strip()));
    }
  }

  private static String text(ByteBuffer b, int from, int to) {
    byte[] bytes = new byte[to - from];
    b.get(from, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
