package dev.sluice.relay.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The single commit thread, {@code spool-commit}: takes every pending write queued while the
 * previous batch was being fsynced (up to a bound) and hands them to {@link SpoolWriter} as one
 * batch, so one fsync per file covers them all. With a {@code maxCommitDelay} it waits that long
 * after the first write of a batch for more. After a failed batch, when nothing else comes, it
 * probes the disk every second so that the spool turns healthy again without traffic.
 *
 * <p>A write {@link #submitLazily submitted lazily} (a REMOVE, which needs no fsync) wakes the
 * thread, and is committed at once, only when the thread is idle with no other lazy write pending;
 * otherwise it rides with the next batch, or is committed {@link #LAZY_DELAY_MILLIS} after the
 * batch under way. Under load that saves a wake-up and a write of the journal per delivered
 * message. Thread-safe.
 */
final class GroupCommitter implements AutoCloseable {
  static final String THREAD_NAME = "spool-commit";
  private static final System.Logger LOG = System.getLogger(SegmentSpool.class.getName());
  private static final int MAX_BATCH_WRITES = 8192;
  private static final long MAX_BATCH_BYTES = 32L << 20;
  private static final long PROBE_INTERVAL_MILLIS = 1000;
  private static final long LAZY_DELAY_MILLIS = 5;
  private static final PendingWrite STOP = new PendingWrite.Probe(new CompletableFuture<>());

  /** Wakes a thread waiting with no lazy write pending, for the first lazy one. */
  private static final PendingWrite NUDGE = new PendingWrite.Probe(new CompletableFuture<>());

  private final LinkedBlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<PendingWrite> lazy = new ConcurrentLinkedQueue<>();

  /** Set while the thread waits with no lazy write pending: a lazy write must nudge it. */
  private final AtomicBoolean waitingUntimed = new AtomicBoolean();

  private final Object gate = new Object();
  private final SpoolWriter writer;
  private final long maxDelayNanos;
  private final Thread thread;
  private boolean closed;

  GroupCommitter(SpoolWriter writer, Duration maxDelay) {
    this.writer = writer;
    this.maxDelayNanos = maxDelay.toNanos();
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues {@code write} for the next batch; fails it at once when the spool is closed. */
  void submit(PendingWrite write) {
    synchronized (gate) {
      if (!closed) {
        queue.add(write);
        return;
      }
    }
    write.fail(new SpoolException("the spool is closed"));
  }

  /**
   * Queues {@code write} to be committed with the next batch, or at most {@link #LAZY_DELAY_MILLIS}
   * after the batch under way (at once when the thread is idle); fails it at once when the spool is
   * closed.
   */
  void submitLazily(PendingWrite write) {
    synchronized (gate) {
      if (!closed) {
        lazy.add(write);
        if (waitingUntimed.compareAndSet(true, false)) {
          queue.add(NUDGE);
        }
        return;
      }
    }
    write.fail(new SpoolException("the spool is closed"));
  }

  /** Whether the caller is the commit thread (which must never wait for a commit). */
  boolean isCommitThread() {
    return Thread.currentThread() == thread;
  }

  /** Whether the commit thread still runs. */
  boolean running() {
    return thread.isAlive();
  }

  /** Commits what is queued, then stops the thread. */
  @Override
  public void close() throws IOException {
    synchronized (gate) {
      if (!closed) {
        closed = true;
        queue.add(STOP);
      }
    }
    if (isCommitThread() || !thread.isAlive()) {
      return;
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while closing the spool");
    }
  }

  private void run() {
    try {
      boolean stop = false;
      while (!stop) {
        PendingWrite first = next();
        List<PendingWrite> batch = new ArrayList<>();
        stop = first == STOP;
        if (first != null && first != NUDGE && !stop) {
          batch.add(first);
          stop = gather(batch);
        }
        drainLazy(batch);
        if (batch.isEmpty() && first == null && writer.failed()) {
          batch.add(new PendingWrite.Probe(new CompletableFuture<>()));
        }
        if (!batch.isEmpty()) {
          writer.commit(batch);
        }
      }
    } catch (InterruptedException e) {
      LOG.log(Level.ERROR, "spool commit thread interrupted; the spool refuses writes");
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "spool commit thread died; the spool refuses writes", e);
      throw e;
    } finally {
      synchronized (gate) {
        closed = true;
      }
      SpoolException error = new SpoolException("the spool is closed");
      List<PendingWrite> left = new ArrayList<>();
      queue.drainTo(left);
      drainLazy(left);
      left.forEach(w -> w.fail(error));
    }
  }

  /**
   * The first write of the next batch: waits for it (at most a second after a failed batch, at most
   * a lazy write's delay when one is pending); null when the wait timed out, NUDGE when only lazy
   * writes came.
   */
  private PendingWrite next() throws InterruptedException {
    if (writer.failed()) {
      return queue.poll(PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }
    if (!lazy.isEmpty()) {
      return queue.poll(LAZY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
    waitingUntimed.set(true);
    try {
      // Checked again after the flag is up: a lazy write added before it saw no flag to clear.
      return lazy.isEmpty() ? queue.take() : null;
    } finally {
      waitingUntimed.set(false);
    }
  }

  private void drainLazy(List<PendingWrite> batch) {
    for (PendingWrite w = lazy.poll(); w != null; w = lazy.poll()) {
      batch.add(w);
    }
  }

  /** Adds what is queued to {@code batch}; returns whether STOP was met. */
  private boolean gather(List<PendingWrite> batch) throws InterruptedException {
    long bytes = batch.get(0).bytes();
    long deadline = System.nanoTime() + maxDelayNanos;
    while (batch.size() < MAX_BATCH_WRITES && bytes < MAX_BATCH_BYTES) {
      PendingWrite next = queue.poll();
      if (next == null && maxDelayNanos > 0) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          next = queue.poll(left, TimeUnit.NANOSECONDS);
        }
      }
      if (next == null) {
        return false;
      }
      if (next == STOP) {
        return true;
      }
      if (next == NUDGE) {
        continue;
      }
      batch.add(next);
      bytes += next.bytes();
    }
    return false;
  }
}
