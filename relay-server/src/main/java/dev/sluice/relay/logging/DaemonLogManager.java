package dev.sluice.relay.logging;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager, except that its reset can be held back. At exit, java.util.logging resets
 * itself from a JVM shutdown hook of its own, which runs beside the daemon's and removed the
 * daemon's handler while the stop was still logging (attempts left after the shutdown grace, a
 * spool that fails to close). Held by {@link DaemonLogging#captureRecords}, that reset waits for
 * {@link DaemonLogging#release}, after the daemon's log is closed. Named by {@link
 * DaemonLogging#installLogManager}. Thread-safe.
 */
public final class DaemonLogManager extends LogManager {
  private final Object lock = new Object();
  private boolean held;
  private boolean pending;

  /** For java.util.logging, which makes the one instance. */
  public DaemonLogManager() {}

  void hold() {
    synchronized (lock) {
      held = true;
    }
  }

  void release() {
    boolean now;
    synchronized (lock) {
      held = false;
      now = pending;
      pending = false;
    }
    if (now) {
      super.reset();
    }
  }

  @Override
  public void reset() {
    synchronized (lock) {
      if (held) {
        pending = true;
        return;
      }
    }
    super.reset();
  }
}
