package dev.sluice.relay.config;

import dev.sluice.relay.queue.SchedulerSettings;
import dev.sluice.relay.smtp.out.ClientTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code delivery:} section of sluice.yaml: how outbound mail is scheduled and sent.
 *
 * @param smtpPort the port of MX hosts (25; another only in labs and tests)
 * @param scheduler retry schedule, queue lifetime, connection limits, failed-path holds
 * @param timeouts the outbound client's timeouts per SMTP step
 * @param idleTimeout how long an idle connection is kept for reuse
 * @param maxMessagesPerConnection transactions on one connection before it is closed (a
 *     destination's {@code messages_per_connection} may lower it)
 * @param tlsTrust PEM CA bundle to verify servers with when TLS is required; empty for the JDK's
 */
public record DeliveryConfig(
    int smtpPort,
    SchedulerSettings scheduler,
    ClientTimeouts timeouts,
    Duration idleTimeout,
    int maxMessagesPerConnection,
    Optional<Path> tlsTrust) {
  public static final DeliveryConfig DEFAULTS =
      new DeliveryConfig(
          25,
          SchedulerSettings.DEFAULTS,
          ClientTimeouts.RFC5321,
          Duration.ofSeconds(30),
          100,
          Optional.empty());

  public DeliveryConfig {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    tlsTrust = tlsTrust == null ? Optional.empty() : tlsTrust;
  }
}
