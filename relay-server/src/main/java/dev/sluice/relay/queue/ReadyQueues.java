package dev.sluice.relay.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The batches routed and waiting for a connection slot, one queue per (member, destination), each
 * ordered by priority then arrival: a password reset (priority 1) overtakes a newsletter backlog
 * (priority 7) on the same path. Confined to the scheduler's thread.
 */
final class ReadyQueues {
  private static final Comparator<PriorityQueue<Batch>> BY_HEAD =
      Comparator.comparing(PriorityQueue::peek);

  private final Map<Batch.QueueKey, PriorityQueue<Batch>> queues = new HashMap<>();
  private int size;

  void add(Batch batch) {
    queues.computeIfAbsent(batch.key(), k -> new PriorityQueue<>()).add(batch);
    size++;
  }

  /** The non-empty queues, the one with the most urgent head first. */
  List<PriorityQueue<Batch>> byUrgency() {
    List<PriorityQueue<Batch>> out = new ArrayList<>();
    for (PriorityQueue<Batch> q : queues.values()) {
      if (!q.isEmpty()) {
        out.add(q);
      }
    }
    out.sort(BY_HEAD);
    return out;
  }

  /** Takes the head of a queue returned by {@link #byUrgency}. */
  Batch poll(PriorityQueue<Batch> queue) {
    Batch b = queue.poll();
    if (b != null) {
      size--;
    }
    return b;
  }

  /** Removes and returns every batch waiting for {@code key}. */
  List<Batch> drain(Batch.QueueKey key) {
    PriorityQueue<Batch> q = queues.remove(key);
    if (q == null) {
      return List.of();
    }
    size -= q.size();
    return new ArrayList<>(q);
  }

  /** The (member, destination) pairs that have a queue now. */
  List<Batch.QueueKey> keys() {
    return List.copyOf(queues.keySet());
  }

  /** Removes and returns every waiting batch. */
  List<Batch> drainAll() {
    List<Batch> all = new ArrayList<>();
    queues.values().forEach(all::addAll);
    queues.clear();
    size = 0;
    return all;
  }

  /** Waiting batches, per (member, destination) and in all. */
  Map<Batch.QueueKey, Integer> depths() {
    Map<Batch.QueueKey, Integer> out = new HashMap<>();
    queues.forEach((k, q) -> out.put(k, q.size()));
    return out;
  }

  /** When the oldest message waiting in each queue was received. */
  Map<Batch.QueueKey, java.time.Instant> oldest() {
    Map<Batch.QueueKey, java.time.Instant> out = new HashMap<>();
    queues.forEach(
        (k, q) -> {
          for (Batch b : q) {
            java.time.Instant at = b.job().entry.envelope().receivedAt();
            out.merge(k, at, (x, y) -> x.isBefore(y) ? x : y);
          }
        });
    return out;
  }

  int size() {
    return size;
  }
}
