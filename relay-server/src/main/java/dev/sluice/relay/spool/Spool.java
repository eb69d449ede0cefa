package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Durable message store. Ingress answers 250 only after {@link #store} completes.
 *
 * <p>Thread-safe: every method may be called from any thread. The futures complete on the spool's
 * own commit thread, so callers must not block inside their callbacks.
 */
public interface Spool extends AutoCloseable {

  /**
   * Appends envelope and body. The future completes once both are fsynced (group commit: one fsync
   * covers every {@code store()} issued meanwhile, across threads). It fails with {@link
   * SpoolException} on an I/O error or when free space is under the threshold. The spool reads the
   * remaining bytes of {@code body} later, on its commit thread: do not modify the buffer until the
   * future completes.
   */
  CompletableFuture<SpoolEntry> store(SpoolEnvelope envelope, ByteBuffer body);

  /** The body bytes of a stored message, checked against their CRC. */
  ByteBuffer readBody(MessageId id) throws IOException;

  /**
   * Replaces the envelope and scheduler state of a live message (attempt history, next attempt
   * time), durable like {@link #store}. The body location of {@code entry} is ignored: a body never
   * moves. Fails with {@link SpoolException} when the message is not live.
   */
  CompletableFuture<Void> update(SpoolEntry entry);

  /**
   * The message is done (delivered, bounced, expired): marked removed. The mark needs no fsync of
   * its own (losing it to a power cut only delivers the message again) and rides with the next
   * write, or is written a few milliseconds later. Its space is reclaimed when its segment holds no
   * live message. Removing an absent message is a no-op.
   */
  CompletableFuture<Void> remove(MessageId id);

  /** Live messages, from the index in memory (no body read), in no particular order. */
  Collection<SpoolEntry> entries();

  /**
   * Whether writes succeed: open, its commit thread running, no I/O error since the last successful
   * write. Free space is not considered (see {@link #healthy}).
   */
  boolean writable();

  /**
   * Whether the spool can accept: false after an I/O error until a write succeeds again, below the
   * free-space threshold, and once closed.
   */
  boolean healthy();

  /**
   * How many things were moved to {@code quarantine/} since the spool was opened: damaged messages
   * found at recovery or when their body was read, and damaged records of no legible message.
   */
  long quarantined();

  /** Commits what is pending, then releases files and the commit thread. */
  @Override
  void close() throws IOException;
}
