package dev.sluice.relay.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code maxFailures} failed AUTH attempts from one client IP
 * within {@code window}, that IP is refused AUTH until the window since its last failure has
 * passed. Thread-safe; forgets idle addresses as it goes.
 */
public final class AuthThrottle {
  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final ConcurrentHashMap<String, Failures> byIp = new ConcurrentHashMap<>();

  private record Failures(int count, Instant last) {}

  public AuthThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** Whether {@code ip} may try to authenticate now. */
  public boolean allowed(String ip) {
    Failures f = byIp.get(ip);
    if (f == null) {
      return true;
    }
    if (f.last().plus(window).isBefore(clock.instant())) {
      byIp.remove(ip, f);
      return true;
    }
    return f.count() < maxFailures;
  }

  public void failed(String ip) {
    Instant now = clock.instant();
    byIp.merge(
        ip,
        new Failures(1, now),
        (old, one) ->
            old.last().plus(window).isBefore(now) ? one : new Failures(old.count() + 1, now));
  }

  public void succeeded(String ip) {
    byIp.remove(ip);
  }
}
