package dev.sluice.routing.select;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.PoolConfig;
import dev.sluice.routing.config.Stickiness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks a member inside one pool: drops the members live state or the tenant's plan rule out, then
 * picks among the rest by smooth weighted round-robin, or by weighted rendezvous hashing on the
 * recipient (or its domain) when the pool is sticky. Thread-safe: the round-robin state is the only
 * mutable part and it synchronises itself.
 */
public final class PoolSelector {
  private final PoolConfig pool;
  private final List<String> names;
  private final SmoothWeightedRoundRobin roundRobin;

  public PoolSelector(PoolConfig pool) {
    this.pool = pool;
    this.names = pool.members().stream().map(MemberConfig::name).toList();
    this.roundRobin = new SmoothWeightedRoundRobin(pool.members().size());
  }

  /**
   * Selects a member for one message.
   *
   * @param tenant the tenant of the message, for members dedicated to some tenants
   * @param destination the destination of the recipient
   * @param recipient the recipient address, for sticky pools
   * @param recipientDomain the recipient domain, normalised (A-labels), for sticky pools
   */
  public Selection select(
      Optional<String> tenant,
      String destination,
      String recipient,
      String recipientDomain,
      Eligibility eligibility) {
    List<MemberConfig> members = pool.members();
    double[] weights = new double[members.size()];
    List<Selection.Dropped> dropped = List.of();
    double total = 0;
    for (int i = 0; i < members.size(); i++) {
      MemberConfig m = members.get(i);
      MemberVerdict verdict =
          !m.tenants().isEmpty() && (tenant.isEmpty() || !m.tenants().contains(tenant.get()))
              ? new MemberVerdict.Ineligible(
                  MemberVerdict.Reason.TENANT,
                  "dedicated to " + String.join(", ", m.tenants().stream().sorted().toList()))
              : eligibility.check(m, destination);
      if (verdict instanceof MemberVerdict.Eligible e) {
        weights[i] = m.weight() * e.weightFactor();
        total += weights[i];
      } else {
        if (dropped.isEmpty()) {
          dropped = new ArrayList<>();
        }
        dropped.add(new Selection.Dropped(m, (MemberVerdict.Ineligible) verdict));
      }
    }
    int index;
    String method;
    if (pool.stickiness() == Stickiness.NONE) {
      index = roundRobin.next(weights);
      method = "smooth weighted round-robin";
    } else {
      String key =
          pool.stickiness() == Stickiness.RECIPIENT
              ? recipientKey(recipient, recipientDomain)
              : recipientDomain;
      index = RendezvousHash.pick(key, names, weights);
      method = "sticky on " + pool.stickiness().yamlName() + " " + key + " (rendezvous hash)";
    }
    if (index < 0) {
      return new Selection(Optional.empty(), 0, 0, "", dropped);
    }
    return new Selection(Optional.of(members.get(index)), weights[index], total, method, dropped);
  }

  /**
   * The recipient as one sticky key whichever way its domain is written: the local part
   * lower-cased, then the normalised domain (U-label and A-label alike).
   */
  private static String recipientKey(String recipient, String recipientDomain) {
    int at = recipient.lastIndexOf('@');
    String local = at < 0 ? recipient : recipient.substring(0, at);
    return local.toLowerCase(Locale.ROOT) + "@" + recipientDomain;
  }
}
