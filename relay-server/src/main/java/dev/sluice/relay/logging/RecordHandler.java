package dev.sluice.relay.logging;

import dev.sluice.relay.config.LoggingConfig;
import dev.sluice.relay.events.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Sends the daemon's own java.util.logging records (startup, warnings) to the same lines as the
 * events: {@code {"type":"log","at":…,"level":"WARNING","logger":…,"message":…}}. Closing it leaves
 * the writer open: the daemon closes that last.
 */
public final class RecordHandler extends Handler {
  private final LoggingConfig.Format format;
  private final LineWriter writer;
  private final SimpleFormatter messages = new SimpleFormatter();

  public RecordHandler(LoggingConfig.Format format, LineWriter writer) {
    this.format = format;
    this.writer = writer;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    Event.Builder b =
        Event.of("log", record.getInstant())
            .with("level", record.getLevel().getName())
            .with("logger", record.getLoggerName())
            .with("message", messages.formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      b.with("error", trace.toString());
    }
    writer.offer(LineFormat.of(format, b.build()));
  }

  @Override
  public void flush() {
    // the writer flushes after every batch
  }

  @Override
  public void close() {
    // the writer outlives java.util.logging's own shutdown
  }
}
