package dev.sluice.routing.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One outbound path inside a pool: direct to the recipient's MX (from {@code sourceIp} when set,
 * else from the system's choice) or through an upstream {@code relay}.
 *
 * @param weight relative share within the pool, at least 1
 * @param sourceIp IP literal to bind outbound connections to, or empty for the system's choice
 * @param ehlo name announced in EHLO, or empty for the host name
 * @param relay the upstream relay; empty for direct-to-MX delivery
 * @param warmup the member's warmup schedule, if it is warming
 * @param tenants tenants this member is dedicated to; empty means any tenant
 */
public record MemberConfig(
    String name,
    int weight,
    Optional<String> sourceIp,
    Optional<String> ehlo,
    Optional<RelayConfig> relay,
    Limits limits,
    Optional<WarmupConfig> warmup,
    Set<String> tenants) {
  public MemberConfig {
    Objects.requireNonNull(name, "name");
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1");
    }
    sourceIp = sourceIp == null ? Optional.empty() : sourceIp;
    ehlo = ehlo == null ? Optional.empty() : ehlo;
    relay = relay == null ? Optional.empty() : relay;
    limits = limits == null ? Limits.NONE : limits;
    warmup = warmup == null ? Optional.empty() : warmup;
    tenants = Set.copyOf(tenants);
  }

  /** A direct-to-MX member with the system's source address, as in the built-in default pool. */
  public static MemberConfig direct(String name, int weight) {
    return new MemberConfig(
        name,
        weight,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Limits.NONE,
        Optional.empty(),
        Set.of());
  }

  /** This member with another weight: the same path may weigh differently in two pools. */
  public MemberConfig withWeight(int newWeight) {
    return new MemberConfig(name, newWeight, sourceIp, ehlo, relay, limits, warmup, tenants);
  }

  /**
   * How it delivers, for traces: {@code relay smtp.example.com:587} or {@code direct from
   * 203.0.113.10}.
   */
  public String pathDescription() {
    return relay
        .map(r -> "relay " + r.host() + ":" + r.port())
        .orElseGet(() -> "direct" + sourceIp.map(ip -> " from " + ip).orElse(""));
  }
}
