package dev.sluice.relay.spool;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes strictly increasing {@link MessageId}s. Within a millisecond the sequence starts at a
 * random point of its lower half and counts up; when it runs out, or when the clock steps back, the
 * id time moves ahead of the clock. Seeded with the newest id found at recovery, so ids stay unique
 * across restarts even if the clock was set back. Thread-safe.
 */
final class MessageIdGenerator {
  private static final int SEQUENCE_LIMIT = 1 << MessageId.SEQUENCE_BITS;

  private final Clock clock;
  private long lastMillis;
  private int sequence;

  MessageIdGenerator(Clock clock, MessageId newestKnown) {
    this.clock = clock;
    if (newestKnown != null) {
      this.lastMillis = newestKnown.createdAt().toEpochMilli();
      this.sequence = SEQUENCE_LIMIT - 1;
    } else {
      this.lastMillis = -1;
    }
  }

  synchronized MessageId next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      sequence = ThreadLocalRandom.current().nextInt(SEQUENCE_LIMIT / 2);
    } else if (++sequence >= SEQUENCE_LIMIT) {
      lastMillis++;
      sequence = 0;
    }
    return MessageId.of(lastMillis, sequence);
  }
}
