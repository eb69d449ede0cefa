package dev.sluice.relay.events;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands every event to every sink, in the order they were added. A sink that throws loses that
 * event and nothing else: the others still get it, and the caller (delivery) never sees the
 * failure. Thread-safe.
 */
public final class EventBus implements EventSink {
  private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

  private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
  private final AtomicLong failures = new AtomicLong();

  /** Adds a sink; it gets every event published from now on. */
  public EventBus add(EventSink sink) {
    sinks.add(Objects.requireNonNull(sink, "sink"));
    return this;
  }

  @Override
  public void accept(Event event) {
    for (EventSink sink : sinks) {
      try {
        sink.accept(event);
      } catch (RuntimeException e) {
        // Logged for the first failure and then every 1000th, so a broken sink cannot flood.
        if (failures.getAndIncrement() % 1000 == 0) {
          LOG.log(
              Level.WARNING,
              "event sink {0} failed on a {1} event: {2}",
              sink.getClass().getSimpleName(),
              event.type(),
              e.toString());
        }
      }
    }
  }

  /** Events a sink threw on, since start. */
  public long failures() {
    return failures.get();
  }
}
