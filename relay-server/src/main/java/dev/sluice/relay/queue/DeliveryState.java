package dev.sluice.relay.queue;

import dev.sluice.relay.spool.SharedStrings;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the scheduler keeps with a queued message in the spool (the spool's opaque state map): how
 * many attempts failed, when the next one is due, and the last reason it was deferred.
 *
 * @param attempts failed attempts so far
 * @param nextAttempt when to try again; null for a message never tried
 * @param lastError the last deferral reason ("mx1.example.net: 451 4.7.1 greylisted"), or null
 * @param counted recipients already counted against their per-recipient limit: a retry of the same
 *     message is not another message to them
 */
public record DeliveryState(
    int attempts, Instant nextAttempt, String lastError, Set<String> counted) {
  public static final DeliveryState NEW = new DeliveryState(0, null, null, Set.of());

  private static final String ATTEMPTS = "attempts";
  private static final String NEXT = "next";
  private static final String LAST_ERROR = "last_error";
  private static final String COUNTED = "counted";

  public DeliveryState {
    counted = Set.copyOf(counted);
  }

  /** Reads the state a spool entry carries; an empty or unreadable map is a new message. */
  public static DeliveryState of(Map<String, String> state) {
    try {
      String attempts = state.get(ATTEMPTS);
      String next = state.get(NEXT);
      return new DeliveryState(
          attempts == null ? 0 : Integer.parseInt(attempts),
          next == null ? null : Instant.ofEpochMilli(Long.parseLong(next)),
          state.get(LAST_ERROR),
          state.containsKey(COUNTED) ? Set.of(state.get(COUNTED).split("\n")) : Set.of());
    } catch (NumberFormatException e) {
      return NEW;
    }
  }

  public Map<String, String> toMap() {
    Map<String, String> out = new HashMap<>();
    out.put(ATTEMPTS, SharedStrings.of(Integer.toString(attempts)));
    if (nextAttempt != null) {
      out.put(NEXT, Long.toString(nextAttempt.toEpochMilli()));
    }
    if (lastError != null) {
      out.put(LAST_ERROR, SharedStrings.of(lastError)); // the same reason defers many messages
    }
    if (!counted.isEmpty()) {
      out.put(COUNTED, String.join("\n", counted)); // addresses never hold a line break
    }
    return out;
  }
}
