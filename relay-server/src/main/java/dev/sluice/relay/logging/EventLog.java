package dev.sluice.relay.logging;

import dev.sluice.relay.config.LoggingConfig;
import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventSink;

/** Writes every event as one log line; formatting happens here, the writing on the log thread. */
public final class EventLog implements EventSink {
  private final LoggingConfig.Format format;
  private final LineWriter writer;

  public EventLog(LoggingConfig.Format format, LineWriter writer) {
    this.format = format;
    this.writer = writer;
  }

  @Override
  public void accept(Event event) {
    writer.offer(LineFormat.of(format, event));
  }
}
