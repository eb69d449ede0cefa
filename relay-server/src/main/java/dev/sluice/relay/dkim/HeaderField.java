package dev.sluice.relay.dkim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One header field as it stands in the message, folding included.
 *
 * @param name the field name, lower-case
 * @param raw the field as written, from its name to the end of its last line, without the final
 *     CRLF; one char per octet (ISO-8859-1), so UTF-8 headers (RFC 6532) hash as sent
 */
record HeaderField(String name, String raw) {

  /**
   * The header fields of a message and where its body starts: after the first empty line, or at the
   * end when there is none.
   */
  record Split(List<HeaderField> fields, ByteBuffer body) {}

  static Split split(ByteBuffer message) {
    ByteBuffer m = message.duplicate();
    int start = m.position();
    int end = m.limit();
    int headerEnd = end;
    int bodyStart = end;
    if (end - start >= 2 && m.get(start) == '\r' && m.get(start + 1) == '\n') {
      headerEnd = start;
      bodyStart = start + 2;
    } else {
      for (int i = start; i + 3 < end; i++) {
        if (m.get(i) == '\r'
            && m.get(i + 1) == '\n'
            && m.get(i + 2) == '\r'
            && m.get(i + 3) == '\n') {
          headerEnd = i + 2;
          bodyStart = i + 4;
          break;
        }
      }
    }
    byte[] head = new byte[headerEnd - start];
    m.get(start, head);
    List<HeaderField> fields = new ArrayList<>();
    StringBuilder current = null;
    for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.isEmpty()) {
        continue;
      }
      boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
      if (continuation && current != null) {
        current.append("\r\n").append(line);
      } else {
        if (current != null) {
          fields.add(of(current.toString()));
        }
        current = new StringBuilder(line);
      }
    }
    if (current != null) {
      fields.add(of(current.toString()));
    }
    ByteBuffer body = m.duplicate();
    body.limit(end).position(bodyStart);
    return new Split(List.copyOf(fields), body.slice());
  }

  static HeaderField of(String raw) {
    int colon = raw.indexOf(':');
    String name = colon < 0 ? raw : raw.substring(0, colon);
    return new HeaderField(name.strip().toLowerCase(Locale.ROOT), raw);
  }

  /**
   * RFC 6376 §3.4.2 relaxed header canonicalization, without the final CRLF: name lower-cased,
   * unfolded, runs of WSP made one space, WSP around the colon and at the end removed.
   */
  String relaxed() {
    int colon = raw.indexOf(':');
    String value = colon < 0 ? "" : raw.substring(colon + 1);
    StringBuilder out = new StringBuilder(raw.length()).append(name).append(':');
    boolean space = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        continue;
      }
      if (c == ' ' || c == '\t') {
        space = true;
      } else {
        if (space && started) {
          out.append(' ');
        }
        space = false;
        started = true;
        out.append(c);
      }
    }
    return out.toString();
  }
}
