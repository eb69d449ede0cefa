package dev.sluice.relay.smtp.out;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps open connections between transactions so that the next message to the same host from the
 * same path (source address, EHLO name, TLS mode, credentials) skips connect, greeting, EHLO,
 * STARTTLS and AUTH. A connection goes back only when the client says it is clean; it is closed
 * after {@code maxTransactions} or when idle longer than the idle timeout. Thread-safe.
 */
final class ConnectionCache implements AutoCloseable {
  private final SmtpClient client;
  private final long idleNanos;
  private final LongSupplier nanoTime;
  private final Map<OutboundRoute, ArrayDeque<Idle>> idle = new HashMap<>();
  private final ScheduledFuture<?> reaper;
  private boolean closed;

  ConnectionCache(
      SmtpClient client,
      Duration idleTimeout,
      ScheduledExecutorService timer,
      LongSupplier nanoTime) {
    this.client = client;
    this.idleNanos = idleTimeout.toNanos();
    this.nanoTime = nanoTime;
    long period = Math.max(100, idleTimeout.toMillis() / 2);
    this.reaper = timer.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
  }

  /** A connection for {@code route}: an idle one when there is, else a new one. */
  CompletableFuture<Lease> acquire(OutboundRoute route) {
    SmtpConnection reused = null;
    synchronized (this) {
      ArrayDeque<Idle> q = idle.get(route);
      long now = nanoTime.getAsLong();
      while (q != null && !q.isEmpty() && reused == null) {
        Idle i = q.pollLast();
        if (now - i.since < idleNanos && i.connection.reusable()) {
          reused = i.connection;
        } else {
          i.connection.close();
        }
      }
    }
    if (reused != null) {
      return CompletableFuture.completedFuture(new Lease(reused, true));
    }
    return fresh(route);
  }

  /** A new connection, never an idle one. */
  CompletableFuture<Lease> fresh(OutboundRoute route) {
    return client.connect(route).thenApply(c -> new Lease(c, false));
  }

  /** Gives a connection back after a transaction; it is kept when it may serve another. */
  void release(SmtpConnection connection, int maxTransactions) {
    if (connection.reusable() && connection.transactions() < maxTransactions) {
      synchronized (this) {
        if (!closed) {
          idle.computeIfAbsent(connection.route(), r -> new ArrayDeque<>())
              .addLast(new Idle(connection, nanoTime.getAsLong()));
          return;
        }
      }
    }
    connection.close();
  }

  /** Idle connections now, for metrics and tests. */
  synchronized int idleCount() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  private void reap() {
    List<SmtpConnection> stale = new ArrayList<>();
    synchronized (this) {
      long now = nanoTime.getAsLong();
      idle.values()
          .forEach(
              q ->
                  q.removeIf(
                      i -> {
                        boolean old = now - i.since >= idleNanos || !i.connection.reusable();
                        if (old) {
                          stale.add(i.connection);
                        }
                        return old;
                      }));
      idle.values().removeIf(ArrayDeque::isEmpty);
    }
    stale.forEach(SmtpConnection::close);
  }

  @Override
  public void close() {
    reaper.cancel(false);
    List<SmtpConnection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(q -> q.forEach(i -> all.add(i.connection)));
      idle.clear();
    }
    all.forEach(SmtpConnection::close);
  }

  /** A connection handed out; {@code reused} when it had served before (it may have gone stale). */
  record Lease(SmtpConnection connection, boolean reused) {}

  private record Idle(SmtpConnection connection, long since) {}
}
