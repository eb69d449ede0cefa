package dev.sluice.routing.net;

import java.util.Optional;

/**
 * The client a per-client limit counts (the AUTH failure throttle, the connection rate): an IPv4
 * address itself, but an IPv6 address's /64, since one site or subscriber holds a whole /64 and can
 * take a new address from it for every attempt. An IPv4-mapped IPv6 address counts as its IPv4
 * address; text that is no address literal counts as itself.
 */
public final class ClientKeys {
  private ClientKeys() {}

  public static String of(String address) {
    Optional<byte[]> parsed = IpLiterals.parse(address);
    if (parsed.isEmpty() || parsed.get().length == 4) {
      return address;
    }
    byte[] b = parsed.get();
    if (isV4Mapped(b)) {
      return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
    }
    return s.append(":/64").toString();
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
