package dev.sluice.relay.dsn;

import java.time.ZonedDateTime;
import java.util.List;

/** The MIME boundary of a DSN: one that occurs in none of its parts (RFC 2046 §5.1.1). */
final class Boundary {
  private static final int MAX_BASE = 60;

  private Boundary() {}

  /**
   * {@code <queue id>.<epoch seconds>/<host>} as Postfix does, cut to the characters RFC 2046
   * allows; a counter is added until the result occurs in none of {@code parts}. The result is
   * quoted in the Content-Type field, so {@code / . =} are safe.
   */
  static String choose(DsnReport report, ZonedDateTime now, List<byte[]> parts) {
    String base =
        bchars(report.queueId()) + "." + now.toEpochSecond() + "/" + bchars(report.reportingMta());
    if (base.length() > MAX_BASE) {
      base = base.substring(0, MAX_BASE);
    }
    String candidate = base;
    for (int n = 1; occursIn(candidate, parts); n++) {
      candidate = base + "=" + n;
    }
    return candidate;
  }

  private static String bchars(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_') {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean occursIn(String boundary, List<byte[]> parts) {
    byte[] needle = boundary.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (byte[] part : parts) {
      if (indexOf(part, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
