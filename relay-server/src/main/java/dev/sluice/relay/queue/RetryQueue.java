package dev.sluice.relay.queue;

import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.SpoolEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/** Messages waiting for their next attempt, earliest first. Confined to the scheduler's thread. */
final class RetryQueue {
  private final PriorityQueue<Waiting> byTime = new PriorityQueue<>();
  private final Map<MessageId, Waiting> byId = new HashMap<>();
  private long seq;

  void add(SpoolEntry entry, Instant at) {
    Waiting w = new Waiting(entry, at, seq++);
    Waiting previous = byId.put(entry.id(), w);
    if (previous != null) {
      byTime.remove(previous);
    }
    byTime.add(w);
  }

  /** Removes and returns the messages due at {@code now}, earliest first. */
  List<SpoolEntry> takeDue(Instant now) {
    List<SpoolEntry> due = new ArrayList<>();
    while (!byTime.isEmpty() && !byTime.peek().at.isAfter(now)) {
      Waiting w = byTime.poll();
      byId.remove(w.entry.id());
      due.add(w.entry);
    }
    return due;
  }

  /** Takes a message out of the queue; empty when it is not in it. */
  Optional<SpoolEntry> remove(MessageId id) {
    Waiting w = byId.remove(id);
    if (w == null) {
      return Optional.empty();
    }
    byTime.remove(w);
    return Optional.of(w.entry);
  }

  /**
   * Removes and returns the messages {@code which} selects, earliest first: one pass over the
   * queue, however many it takes.
   */
  List<SpoolEntry> takeMatching(Predicate<SpoolEntry> which) {
    List<Waiting> taken = new ArrayList<>();
    List<Waiting> kept = new ArrayList<>();
    for (Waiting w : byTime) {
      (which.test(w.entry) ? taken : kept).add(w);
    }
    if (taken.isEmpty()) {
      return List.of();
    }
    byTime.clear();
    byTime.addAll(kept);
    taken.sort(null);
    List<SpoolEntry> out = new ArrayList<>(taken.size());
    for (Waiting w : taken) {
      byId.remove(w.entry.id());
      out.add(w.entry);
    }
    return out;
  }

  Optional<Instant> earliest() {
    return byTime.isEmpty() ? Optional.empty() : Optional.of(byTime.peek().at);
  }

  int size() {
    return byTime.size();
  }

  private record Waiting(SpoolEntry entry, Instant at, long seq) implements Comparable<Waiting> {
    @Override
    public int compareTo(Waiting o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
