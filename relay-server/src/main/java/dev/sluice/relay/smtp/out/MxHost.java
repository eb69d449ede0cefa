package dev.sluice.relay.smtp.out;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One host that takes mail for a domain, with the addresses DNS gave for it.
 *
 * @param name the host name as found in DNS (A-labels, no trailing dot), or an IP literal
 * @param preference the MX preference, lower first; 0 for an implicit MX or a relay host
 * @param addresses IPv4 addresses first, then IPv6, each in the order DNS returned them; never
 *     empty
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {
  public MxHost {
    Objects.requireNonNull(name, "name");
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference out of range: " + preference);
    }
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("host " + name + " has no address");
    }
  }
}
