package dev.sluice.relay.queue;

import dev.sluice.relay.spool.SpoolEntry;

/** What {@link Scheduler#withdraw} found of a message. */
public sealed interface Withdrawal {
  /** It was waiting (for its next attempt, or for room to start): the scheduler let it go. */
  record Taken(SpoolEntry entry) implements Withdrawal {}

  /** A round of attempts is under way on it: the scheduler keeps it. */
  record Busy() implements Withdrawal {}

  /** The scheduler does not hold it (unknown, done, or not handed over yet). */
  record Absent() implements Withdrawal {}
}
