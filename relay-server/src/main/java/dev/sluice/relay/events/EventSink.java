package dev.sluice.relay.events;

/**
 * Where events go. Called on the thread where the event happened (often the scheduler's), so an
 * implementation must return at once: anything slow (a file, a socket) happens on its own thread.
 */
@FunctionalInterface
public interface EventSink {
  EventSink NONE = event -> {};

  void accept(Event event);
}
