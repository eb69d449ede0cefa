package dev.sluice.relay.queue;

import dev.sluice.routing.retry.RetrySchedule;
import java.time.Duration;
import java.util.Objects;

/**
 * How the scheduler paces delivery.
 *
 * @param retry the backoff schedule and the queue lifetime
 * @param maxConnections outbound connections (attempts in flight) in all
 * @param maxConnectionsPerDestination outbound connections to one destination, every member
 *     together
 * @param maxActiveMessages messages whose body is held in memory for delivery at once; the rest
 *     wait in the spool
 * @param maxRecipientsPerTransaction recipients sent in one SMTP transaction
 * @param shutdownGrace how long attempts in flight may finish at shutdown (20 s by default, so a
 *     stop fits in the unit's 40 s TimeoutStopSec with the listeners and the spool)
 */
public record SchedulerSettings(
    RetrySchedule retry,
    int maxConnections,
    int maxConnectionsPerDestination,
    int maxActiveMessages,
    int maxRecipientsPerTransaction,
    Duration shutdownGrace) {
  public static final SchedulerSettings DEFAULTS =
      new SchedulerSettings(RetrySchedule.DEFAULT, 500, 200, 20_000, 100, Duration.ofSeconds(20));

  public SchedulerSettings {
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
  }
}
