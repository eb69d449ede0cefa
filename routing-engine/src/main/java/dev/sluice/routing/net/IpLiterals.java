package dev.sluice.routing.net;

import java.util.Optional;

/**
 * Parses IPv4 and IPv6 address literals into bytes without ever touching DNS (unlike {@code
 * InetAddress.getByName}, which resolves anything that is not a literal).
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** 4 bytes for IPv4, 16 for IPv6 (IPv4-mapped forms stay 16), or empty if not a literal. */
  public static Optional<byte[]> parse(String text) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.indexOf(':') >= 0) {
      return Optional.ofNullable(parseV6(s));
    }
    return Optional.ofNullable(parseV4(s));
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return null; // leading zeros are octal in some parsers: refuse the ambiguity
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String s) {
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    // RFC 4291 §2.2: a dotted quad can only be the last 32 bits, so never before a "::"
    int[] headGroups = groups(head, doubleColon < 0);
    int[] tailGroups = groups(tail, true);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (doubleColon < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < headGroups.length; i++) {
      putGroup(out, i, headGroups[i]);
    }
    for (int i = 0; i < tailGroups.length; i++) {
      putGroup(out, 8 - tailGroups.length + i, tailGroups[i]);
    }
    return out;
  }

  /**
   * 16-bit groups of a colon-separated run; a trailing dotted quad, where {@code quadAllowed},
   * counts as two groups. Digits are ASCII only.
   */
  private static int[] groups(String run, boolean quadAllowed) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] parts = run.split(":", -1);
    boolean quad = quadAllowed && parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (quad ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (quad && i == parts.length - 1) {
        byte[] v4 = parseV4(p);
        if (v4 == null) {
          return null;
        }
        out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
      } else {
        if (p.isEmpty() || p.length() > 4) {
          return null;
        }
        int v = 0;
        for (int c = 0; c < p.length(); c++) {
          int digit = hexDigit(p.charAt(c));
          if (digit < 0) {
            return null;
          }
          v = (v << 4) | digit;
        }
        out[i] = v;
      }
    }
    return out;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  private static void putGroup(byte[] out, int index, int value) {
    out[2 * index] = (byte) (value >>> 8);
    out[2 * index + 1] = (byte) value;
  }
}
