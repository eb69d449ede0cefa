package dev.sluice.relay.queue;

import java.util.concurrent.CompletableFuture;

/**
 * What must happen before a finished recipient leaves the spool: the DSN to the sender stored
 * durably, the suppression list updated. The scheduler changes the spool record only once the
 * future completes, so a crash in between repeats the report rather than losing it.
 */
@FunctionalInterface
public interface Reporter {
  /** Completes once whatever must survive a crash is durable; never completes exceptionally. */
  CompletableFuture<Void> report(JobReport report);
}
