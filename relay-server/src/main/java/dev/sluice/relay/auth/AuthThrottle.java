package dev.sluice.relay.auth;

import dev.sluice.routing.net.ClientKeys;
import dev.sluice.routing.traffic.TrafficStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows down password guessing: a client IP (an IPv6 client's whole /64, {@link ClientKeys}) gets
 * {@code maxFailures} failed AUTH attempts within {@code window}; then it is refused AUTH until the
 * window since its last failure has passed.
 *
 * <p>An attempt counts as a failure from the moment it is let through until {@link #succeeded}
 * clears the address, so a client running many logins at once on parallel connections gets no more
 * guesses than one running them in turn. The counts live in the traffic store: in a cluster, Redis,
 * so a guesser spreading its attempts over the nodes gets one allowance, not one per node (while
 * Redis is unreachable each node counts on its own). The store forgets expired addresses, so a scan
 * from many addresses cannot grow it without end. Thread-safe.
 */
public final class AuthThrottle {
  private static final String KEY_PREFIX = "auth:failures:";

  private final int maxFailures;
  private final Duration window;
  private final TrafficStore store;
  private final Clock clock;

  public AuthThrottle(int maxFailures, Duration window, TrafficStore store, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Whether {@code ip} may try to authenticate now; if so, the attempt is counted as a failure
   * until {@link #succeeded} says otherwise. A refused attempt does not count: the lock lifts a
   * window after the last attempt that was let through.
   */
  public boolean tryAttempt(String ip) {
    Instant now = clock.instant();
    String key = key(ip);
    if (store.count(key, now) >= maxFailures) {
      return false;
    }
    Instant until = now.plus(window);
    if (store.add(key, 1, until, now) <= maxFailures) {
      return true;
    }
    // Another connection (or node) took the last attempt between the read and the add.
    store.add(key, -1, until, now);
    return false;
  }

  /** The attempt from {@code ip} succeeded: its failures are forgotten. */
  public void succeeded(String ip) {
    store.remove(key(ip));
  }

  private static String key(String ip) {
    return KEY_PREFIX + ClientKeys.of(ip);
  }
}
