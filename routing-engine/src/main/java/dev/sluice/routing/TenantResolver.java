package dev.sluice.routing;

import dev.sluice.routing.config.TenantConfig;
import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.net.IpLiterals;
import dev.sluice.routing.rules.DomainSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Works out who submitted a message when the ingress did not authenticate it: the first tenant (in
 * file order) whose networks contain the client address, else the first whose sender domains
 * contain the sender's domain. Immutable and thread-safe.
 */
final class TenantResolver {
  private final List<TenantConfig> tenants;
  private final List<DomainSet> senderDomains = new ArrayList<>();
  private final boolean anyNetworks;
  private final boolean anySenderDomains;

  TenantResolver(Iterable<TenantConfig> tenants) {
    List<TenantConfig> list = new ArrayList<>();
    for (TenantConfig t : tenants) {
      list.add(t);
      senderDomains.add(DomainSet.of(t.senderDomains()));
    }
    this.tenants = List.copyOf(list);
    this.anyNetworks = this.tenants.stream().anyMatch(t -> !t.networks().isEmpty());
    this.anySenderDomains = this.tenants.stream().anyMatch(t -> !t.senderDomains().isEmpty());
  }

  /** The tenant and how it was found, e.g. {@code from client network 10.0.0.0/8}. */
  Optional<Resolved> resolve(Envelope envelope) {
    if (envelope.tenant().isPresent()) {
      return Optional.of(new Resolved(envelope.tenant().get(), "given by the ingress (SMTP AUTH)"));
    }
    byte[] client =
        anyNetworks ? envelope.clientAddress().flatMap(IpLiterals::parse).orElse(null) : null;
    if (client != null) {
      for (TenantConfig t : tenants) {
        for (Cidr network : t.networks()) {
          if (network.contains(client)) {
            return Optional.of(new Resolved(t.name(), "from client network " + network));
          }
        }
      }
    }
    String sender = anySenderDomains ? envelope.senderDomain() : "";
    if (!sender.isEmpty()) {
      for (int i = 0; i < tenants.size(); i++) {
        if (senderDomains.get(i).contains(sender)) {
          return Optional.of(new Resolved(tenants.get(i).name(), "from sender domain " + sender));
        }
      }
    }
    return Optional.empty();
  }

  record Resolved(String name, String how) {}
}
