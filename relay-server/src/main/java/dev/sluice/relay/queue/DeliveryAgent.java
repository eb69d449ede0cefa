package dev.sluice.relay.queue;

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

  /** Closes idle connections and fails what is in flight; attempts end as path failures. */
  @Override
  void close();
}
