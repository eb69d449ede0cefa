package dev.sluice.relay.queue;

import java.util.Map;

/**
 * How much mail the scheduler holds, at one moment.
 *
 * @param waiting messages waiting for their next attempt (retry queue, or for memory to start)
 * @param ready batches routed and waiting for a connection slot
 * @param inFlight attempts under way
 * @param active messages being worked on
 * @param readyByPath ready batches per (member, destination)
 */
public record QueueSummary(
    int waiting, int ready, int inFlight, int active, Map<Batch.QueueKey, Integer> readyByPath) {
  public QueueSummary {
    readyByPath = Map.copyOf(readyByPath);
  }
}
