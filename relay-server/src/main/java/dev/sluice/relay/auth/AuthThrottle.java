package dev.sluice.relay.auth;

import dev.sluice.routing.net.ClientKeys;
import dev.sluice.routing.net.ClientTable;
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
 * guesses than one running them in turn. Thread-safe; expired addresses are forgotten as {@link
 * ClientTable} forgets, so a scan from many addresses cannot grow it without end.
 */
public final class AuthThrottle {
  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final ClientTable<Failures> failures = new ClientTable<>();

  private record Failures(int count, Instant last) {}

  public AuthThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Whether {@code ip} may try to authenticate now; if so, the attempt is counted as a failure
   * until {@link #succeeded} says otherwise.
   */
  public boolean tryAttempt(String ip) {
    Instant now = clock.instant();
    boolean[] allowed = new boolean[1];
    failures.update(
        ip,
        old -> {
          Failures current = old == null || expired(old, now) ? new Failures(0, now) : old;
          allowed[0] = current.count() < maxFailures;
          return allowed[0] ? new Failures(current.count() + 1, now) : current;
        },
        f -> expired(f, now));
    return allowed[0];
  }

  /** The attempt from {@code ip} succeeded: its failures are forgotten. */
  public void succeeded(String ip) {
    failures.remove(ip);
  }

  /** How many addresses are remembered now. */
  int tracked() {
    return failures.size();
  }

  private boolean expired(Failures f, Instant now) {
    return f.last().plus(window).isBefore(now);
  }
}
