package dev.sluice.routing.rules;

import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.net.IpLiterals;
import java.util.List;

/** The submitting client's address is in one of the networks. */
public record ClientNetworkMatcher(List<Cidr> networks) implements Matcher {
  public ClientNetworkMatcher {
    networks = List.copyOf(networks);
  }

  @Override
  public boolean matches(MatchContext context) {
    byte[] address = context.clientAddress().flatMap(IpLiterals::parse).orElse(null);
    if (address == null) {
      return false;
    }
    for (Cidr network : networks) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String explain(MatchContext context) {
    return "client_network " + context.clientAddress().orElse("(unknown)") + " in " + networks;
  }
}
