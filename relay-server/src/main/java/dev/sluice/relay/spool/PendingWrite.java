package dev.sluice.relay.spool;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A change waiting for the next group commit, with the future that reports its outcome. */
sealed interface PendingWrite {

  /** Bytes it adds to a batch, to bound batches. */
  long bytes();

  /** Completes the future exceptionally. */
  void fail(Throwable error);

  /** A new message. */
  record Store(BodyFrame frame, SpoolEnvelope envelope, CompletableFuture<SpoolEntry> done)
      implements PendingWrite {
    @Override
    public long bytes() {
      return frame.totalBytes() + 512;
    }

    @Override
    public void fail(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  /** New envelope and state of a live message. */
  record Update(
      MessageId id, SpoolEnvelope envelope, Map<String, String> state, CompletableFuture<Void> done)
      implements PendingWrite {
    @Override
    public long bytes() {
      return 512;
    }

    @Override
    public void fail(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  /** A message is done; with a reason when it was quarantined. */
  record Remove(MessageId id, String quarantineReason, CompletableFuture<Void> done)
      implements PendingWrite {
    @Override
    public long bytes() {
      return 64;
    }

    @Override
    public void fail(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  /** A tiny write to learn whether the disk takes writes again after a failure. */
  record Probe(CompletableFuture<Void> done) implements PendingWrite {
    @Override
    public long bytes() {
      return 16;
    }

    @Override
    public void fail(Throwable error) {
      done.completeExceptionally(error);
    }
  }
}
