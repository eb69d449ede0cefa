package dev.sluice.relay.spool;

import java.util.Map;

/** The records of a journal file, as replayed by recovery. */
sealed interface JournalRecord {

  /**
   * A new message whose body is already durable at the entry's location; or, in a checkpoint, a
   * live one.
   */
  record Store(SpoolEntry entry) implements JournalRecord {}

  /** New envelope and scheduler state of a live message. */
  record Update(MessageId id, SpoolEnvelope envelope, Map<String, String> state)
      implements JournalRecord {}

  /** The message is done. */
  record Remove(MessageId id) implements JournalRecord {}

  /** The message was moved to {@code quarantine/<id>}: no longer live. */
  record Quarantine(MessageId id, String reason) implements JournalRecord {}

  /** First record of every journal file: the live entries follow as {@link Store} records. */
  record Checkpoint(int formatVersion, long journalNumber, long liveCount, long createdAtMillis)
      implements JournalRecord {}

  /** Written by the health probe; carries nothing. */
  record Noop() implements JournalRecord {}
}
