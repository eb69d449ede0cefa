package dev.sluice.relay.spool;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live messages in memory, and how many of them each body segment holds. Lookups are
 * thread-safe; changes are made by the commit thread only, after the records saying so are durable.
 */
final class SpoolIndex {
  private final ConcurrentHashMap<MessageId, SpoolEntry> entries;
  private final Map<Long, Integer> liveBySegment = new HashMap<>();

  SpoolIndex(Map<MessageId, SpoolEntry> live) {
    entries = new ConcurrentHashMap<>(Math.max(16, live.size() * 2));
    live.values().forEach(this::put);
  }

  SpoolEntry get(MessageId id) {
    return entries.get(id);
  }

  /** Adds a new message, or replaces the envelope and state of a live one. */
  void put(SpoolEntry entry) {
    if (entries.put(entry.id(), entry) == null) {
      liveBySegment.merge(entry.bodySegment(), 1, Integer::sum);
    }
  }

  /** Drops a message; returns its entry, or null when it was not live. */
  SpoolEntry remove(MessageId id) {
    SpoolEntry gone = entries.remove(id);
    if (gone != null) {
      liveBySegment.computeIfPresent(gone.bodySegment(), (s, n) -> n == 1 ? null : n - 1);
    }
    return gone;
  }

  /** Whether any live message has its body in {@code segment}. */
  boolean inUse(long segment) {
    return liveBySegment.containsKey(segment);
  }

  Collection<SpoolEntry> snapshot() {
    return List.copyOf(entries.values());
  }

  int size() {
    return entries.size();
  }
}
