package dev.sluice.routing.net;

import java.util.Arrays;

/**
 * A network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare address is a
 * single-host network. Immutable and thread-safe.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /** Parses {@code ADDRESS[/PREFIX]}; host bits beyond the prefix must be zero. */
  public static Cidr parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes =
        IpLiterals.parse(address)
            .orElseThrow(
                () -> new IllegalArgumentException("'" + address + "' is not an IP address"));
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > max) {
        throw new IllegalArgumentException(
            "'" + text + "' has a bad prefix length (0 to " + max + " expected)");
      }
      prefix = Integer.parseInt(p);
    }
    byte[] masked = mask(bytes, prefix);
    if (!Arrays.equals(masked, bytes)) {
      throw new IllegalArgumentException(
          "'" + text + "' has host bits set (did you mean '" + format(masked, prefix) + "'?)");
    }
    return new Cidr(masked, prefix, s);
  }

  /**
   * Whether this network contains the address given as bytes (4 or 16); other families never match.
   */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(address, prefix), network);
  }

  /** Whether this network contains the address literal; a non-literal never matches. */
  public boolean contains(String address) {
    return IpLiterals.parse(address).map(this::contains).orElse(false);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  private static String format(byte[] network, int prefix) {
    StringBuilder out = new StringBuilder();
    if (network.length == 4) {
      for (int i = 0; i < 4; i++) {
        out.append(i == 0 ? "" : ".").append(network[i] & 0xff);
      }
    } else {
      for (int i = 0; i < 16; i += 2) {
        out.append(i == 0 ? "" : ":")
            .append(Integer.toHexString(((network[i] & 0xff) << 8) | (network[i + 1] & 0xff)));
      }
    }
    return out.append('/').append(prefix).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return text;
  }
}
