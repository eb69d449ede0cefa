package dev.sluice.relay.queue;

import dev.sluice.routing.config.MemberConfig;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out attempts: finds the member's hosts (MX or relay), connects or reuses a connection,
 * sends, and tries the next host on a path failure. The scheduler decides what to try; the agent
 * only tries it.
 */
public interface DeliveryAgent extends AutoCloseable {
  /**
   * Tries the attempt. The future always completes normally, with one outcome per recipient; it may
   * complete on any thread.
   */
  CompletableFuture<AttemptResult> deliver(Attempt attempt);

  /**
   * Actively checks a relay member: connects, EHLO, STARTTLS and AUTH as configured, then QUIT.
   * Completes with empty when all went well, else with what failed; never exceptionally.
   */
  CompletableFuture<Optional<String>> probe(MemberConfig relayMember);

  /** Closes idle connections and fails what is in flight; attempts end as path failures. */
  @Override
  void close();
}
