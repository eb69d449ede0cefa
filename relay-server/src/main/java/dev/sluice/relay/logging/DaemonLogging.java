package dev.sluice.relay.logging;

import dev.sluice.relay.config.LoggingConfig;
import java.io.IOException;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * The log of a running daemon, as {@code logging:} in sluice.yaml describes it: one line writer for
 * events and java.util.logging records alike, to standard output or a rotated file.
 */
public final class DaemonLogging {
  private DaemonLogging() {}

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
   * handler. For the daemon's main: it changes process-wide state.
   */
  public static void captureRecords(LoggingConfig config, LineWriter writer) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new RecordHandler(config.format(), writer));
  }
}
