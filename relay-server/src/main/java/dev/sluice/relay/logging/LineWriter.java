package dev.sluice.relay.logging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines from its own thread, so that a slow disk or a full pipe never holds up delivery:
 * {@link #offer} only queues. When the queue is full the line is dropped and counted ({@code
 * sluice_log_lines_dropped_total}). Thread-safe.
 *
 * <p>After each batch the thread rests for {@link #LINGER_NANOS} before taking the next, so under
 * load (several lines per message) it wakes and writes a hundred times a second rather than once
 * per line; an idle log still gets its first line at once.
 */
public final class LineWriter implements AutoCloseable {
  private static final int CAPACITY = 16_384;
  private static final long LINGER_NANOS = 10_000_000;
  private static final String STOP = new String("stop"); // compared by identity

  private final LogOutput output;
  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  public LineWriter(LogOutput output) {
    this.output = output;
    this.thread = new Thread(this::run, "sluice-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues one line; never blocks. */
  public void offer(String line) {
    if (closed || !queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  /** Lines lost because the queue was full or the output failed, since start. */
  public long dropped() {
    return dropped.get() + failed.get();
  }

  private void run() {
    List<String> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch);
      for (String line : batch) {
        if (line == STOP) {
          stop = true;
          break;
        }
        write(line);
      }
      batch.clear();
      try {
        output.flush();
      } catch (IOException e) {
        // counted with the lines
      }
      if (!stop && !closed) {
        LockSupport.parkNanos(this, LINGER_NANOS);
      }
    }
  }

  private void write(String line) {
    try {
      output.write(line);
    } catch (IOException e) {
      // Said once on stderr: the log cannot report its own failure.
      if (failed.getAndIncrement() == 0) {
        System.err.println("sluice: cannot write the log: " + e);
      }
    }
  }

  /** Writes what is queued, then closes the output. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(STOP);
      LockSupport.unpark(thread);
      thread.join(5_000);
      output.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.err.println("sluice: closing the log: " + e);
    }
  }
}
