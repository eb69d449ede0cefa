package dev.sluice.relay.spool;

import java.util.Map;
import java.util.Objects;

/**
 * A live message as the index knows it. Immutable.
 *
 * @param id the queue id
 * @param envelope the envelope as last stored or updated
 * @param state scheduler metadata (next attempt, attempts...), opaque to the spool
 * @param bodySegment the number of the {@code bodies-NNNNNN.seg} file holding the body
 * @param bodyOffset the offset of the first body byte in that file
 * @param bodyLength the body length in bytes
 */
public record SpoolEntry(
    MessageId id,
    SpoolEnvelope envelope,
    Map<String, String> state,
    long bodySegment,
    long bodyOffset,
    int bodyLength) {

  public SpoolEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
    state = state == null ? Map.of() : Map.copyOf(state);
  }

  /** This entry with another envelope and state; the body stays where it is. */
  public SpoolEntry with(SpoolEnvelope newEnvelope, Map<String, String> newState) {
    return new SpoolEntry(id, newEnvelope, newState, bodySegment, bodyOffset, bodyLength);
  }

  /** This entry with another scheduler state. */
  public SpoolEntry withState(Map<String, String> newState) {
    return with(envelope, newState);
  }
}
