package dev.sluice.relay.logging;

import dev.sluice.relay.config.LoggingConfig;
import java.io.IOException;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The log of a running daemon, as {@code logging:} in sluice.yaml describes it: one line writer for
 * events and java.util.logging records alike, to standard output or a rotated file.
 */
public final class DaemonLogging {
  private DaemonLogging() {}

  /**
   * Makes {@link DaemonLogManager} the process's LogManager, unless one is named already. For
   * {@code main}, before anything logs: java.util.logging reads the choice once, when it starts. It
   * lives here, not in DaemonLogManager: initializing that class would start java.util.logging (its
   * superclass) before the choice is made.
   */
  public static void installLogManager() {
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", DaemonLogManager.class.getName());
    }
  }

  /** Opens the output {@code config} names. */
  public static LineWriter open(LoggingConfig config) throws IOException {
    LogOutput output =
        config.file().isPresent()
            ? new RotatingFile(config.file().get(), config.maxSize(), config.keep())
            : LogOutput.stdout();
    return new LineWriter(output);
  }

  /**
   * Routes every java.util.logging record of the process to {@code writer}, in place of the console
   * handler, until {@link #release}: java.util.logging's own reset at exit waits until then (when
   * {@link DaemonLogManager} is the LogManager), so the stop's own records are not lost. For the
   * daemon's main: it changes process-wide state.
   */
  public static void captureRecords(LoggingConfig config, LineWriter writer) {
    if (LogManager.getLogManager() instanceof DaemonLogManager manager) {
      manager.hold();
    }
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new RecordHandler(config.format(), writer));
  }

  /** Lets java.util.logging shut down, once the daemon's log is closed. */
  public static void release() {
    if (LogManager.getLogManager() instanceof DaemonLogManager manager) {
      manager.release();
    }
  }
}
