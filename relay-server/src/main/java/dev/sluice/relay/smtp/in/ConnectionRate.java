package dev.sluice.relay.smtp.in;

import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.net.ClientKeys;
import dev.sluice.routing.net.ClientTable;
import dev.sluice.routing.units.Rate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * How fast one client address may open connections: a token bucket per address that holds the
 * rate's count and refills evenly over its period, so {@code 60/min} allows a burst of 60, then one
 * a second. An IPv6 client counts by its /64 ({@link ClientKeys}). Trusted networks are exempt (as
 * Postfix's anvil exempts {@code mynetworks}): they are the applications Sluice serves. Addresses
 * whose bucket would be full again are forgotten once the table has doubled since the last sweep,
 * so connections from many addresses cannot grow it without end. Thread-safe.
 */
public final class ConnectionRate {
  private final Optional<Rate> rate;
  private final List<Cidr> exempt;
  private final Clock clock;
  private final ClientTable<Bucket> buckets = new ClientTable<>();

  /** Tokens left at {@code at} (epoch milliseconds). */
  private record Bucket(double tokens, long at) {}

  /**
   * @param rate connections per period per address; empty for no limit
   * @param exempt networks never limited
   */
  public ConnectionRate(Optional<Rate> rate, List<Cidr> exempt, Clock clock) {
    this.rate = rate;
    this.exempt = List.copyOf(exempt);
    this.clock = clock;
  }

  /** No limit for anyone. */
  public static ConnectionRate unlimited() {
    return new ConnectionRate(Optional.empty(), List.of(), Clock.systemUTC());
  }

  /** Whether {@code ip} may open a connection now; if so, it is counted. */
  public boolean admit(String ip) {
    if (rate.isEmpty() || exempt.stream().anyMatch(n -> n.contains(ip))) {
      return true;
    }
    Rate r = rate.get();
    long now = clock.millis();
    boolean[] admitted = new boolean[1];
    buckets.update(
        ip,
        old -> {
          double tokens = tokensAt(old, r, now);
          admitted[0] = tokens >= 1;
          return new Bucket(admitted[0] ? tokens - 1 : tokens, now);
        },
        b -> tokensAt(b, r, now) >= r.count());
    return admitted[0];
  }

  /** How many addresses are remembered now. */
  int tracked() {
    return buckets.size();
  }

  /** The bucket refilled until {@code now}: full when absent. */
  private static double tokensAt(Bucket b, Rate r, long now) {
    if (b == null) {
      return r.count();
    }
    double periodMillis = r.period().toNanos() / 1e6;
    double refill = Math.max(0, now - b.at()) * r.count() / periodMillis;
    return Math.min(r.count(), b.tokens() + refill);
  }
}
