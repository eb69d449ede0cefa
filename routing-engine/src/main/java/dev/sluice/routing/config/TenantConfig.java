package dev.sluice.routing.config;

import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.units.Rate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who submits mail, and what they may use.
 *
 * @param pools the pools granted to this tenant (its plan); empty means every pool
 * @param maySteer whether the routing header is honoured for this tenant
 * @param networks client networks that identify this tenant when it does not authenticate
 * @param senderDomains sender domains that identify this tenant (exact or {@code *.suffix})
 * @param restrictSenders whether the tenant may only send from its sender domains (else 553)
 * @param users the SMTP AUTH identities that log in as this tenant
 * @param rate a limit on the messages of this tenant, whatever their rule and pool; empty for none
 */
public record TenantConfig(
    String name,
    Optional<Set<String>> pools,
    boolean maySteer,
    List<Cidr> networks,
    List<String> senderDomains,
    boolean restrictSenders,
    List<TenantUser> users,
    Optional<Rate> rate) {
  public TenantConfig {
    Objects.requireNonNull(name, "name");
    pools = pools == null ? Optional.empty() : pools.map(Set::copyOf);
    networks = List.copyOf(networks);
    senderDomains = List.copyOf(senderDomains);
    users = List.copyOf(users);
    rate = rate == null ? Optional.empty() : rate;
  }

  /** Whether this tenant may send through {@code pool}. */
  public boolean isGranted(String pool) {
    return pools.map(p -> p.contains(pool)).orElse(true);
  }
}
