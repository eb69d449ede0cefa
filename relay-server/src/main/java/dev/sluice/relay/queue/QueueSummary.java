package dev.sluice.relay.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How much mail the scheduler holds, at one moment.
 *
 * @param waiting messages waiting for their next attempt (retry queue, or for memory to start)
 * @param ready batches routed and waiting for a connection slot
 * @param inFlight attempts under way
 * @param active messages being worked on
 * @param readyByPath ready batches per (member, destination)
 * @param oldestByPath when the oldest message of each ready queue was received
 */
public record QueueSummary(
    int waiting,
    int ready,
    int inFlight,
    int active,
    Map<Batch.QueueKey, Integer> readyByPath,
    Map<Batch.QueueKey, Instant> oldestByPath) {
  public QueueSummary {
    readyByPath = Map.copyOf(readyByPath);
    oldestByPath = Map.copyOf(oldestByPath);
  }

  /**
   * One ready queue.
   *
   * @param ready batches waiting in it
   * @param oldest when its oldest message was received
   */
  public record Path(String member, String destination, int ready, Instant oldest) {}

  /** The ready queues, in no particular order. */
  public List<Path> paths() {
    List<Path> out = new ArrayList<>();
    readyByPath.forEach(
        (k, n) -> out.add(new Path(k.member(), k.destination(), n, oldestByPath.get(k))));
    return out;
  }
}
