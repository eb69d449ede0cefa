package dev.sluice.relay.smtp.in;

import java.util.concurrent.CompletableFuture;

/** Where accepted messages go: the spool. The future completes with the queue id once durable. */
@FunctionalInterface
public interface MessageSink {
  CompletableFuture<String> accept(Transaction transaction);
}
