package dev.sluice.relay.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The latest events, for the admin API and the dashboard; the oldest fall out. Thread-safe. */
public final class EventRing implements EventSink {
  /** How many events a ring keeps by default. */
  public static final int DEFAULT_CAPACITY = 1000;

  private final int capacity;
  private final ArrayDeque<Event> events;

  public EventRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.events = new ArrayDeque<>(capacity);
  }

  @Override
  public synchronized void accept(Event event) {
    if (events.size() == capacity) {
      events.removeFirst();
    }
    events.addLast(event);
  }

  /** Up to {@code limit} events, newest first. */
  public synchronized List<Event> latest(int limit) {
    List<Event> out = new ArrayList<>(Math.min(limit, events.size()));
    Iterator<Event> it = events.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next());
    }
    return out;
  }

  public int capacity() {
    return capacity;
  }
}
