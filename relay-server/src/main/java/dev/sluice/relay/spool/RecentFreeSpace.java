package dev.sluice.relay.spool;

import java.util.function.LongSupplier;

/**
 * The spool's free space for the per-message threshold check, without a {@code statfs} per message:
 * a reading well above the threshold is reused for {@link #MAX_AGE_NANOS}; near the threshold every
 * call reads again, so the refusal starts and ends as exactly as without it. Writes that outrun the
 * figure still fail cleanly (a real ENOSPC fails the batch). Thread-safe.
 */
final class RecentFreeSpace implements LongSupplier {
  static final long MAX_AGE_NANOS = 100_000_000;

  /** How far above the threshold a reading must be to be reused. */
  static final long MARGIN_BYTES = 64L << 20;

  private final LongSupplier probe;
  private final LongSupplier nanoTime;
  private final long reuseAbove;
  private boolean valid;
  private long reading;
  private long readAt;

  RecentFreeSpace(LongSupplier probe, LongSupplier nanoTime, long thresholdBytes) {
    this.probe = probe;
    this.nanoTime = nanoTime;
    this.reuseAbove =
        thresholdBytes > Long.MAX_VALUE - MARGIN_BYTES
            ? Long.MAX_VALUE
            : thresholdBytes + MARGIN_BYTES;
  }

  @Override
  public synchronized long getAsLong() {
    long now = nanoTime.getAsLong();
    if (!valid || reading < reuseAbove || now - readAt >= MAX_AGE_NANOS) {
      reading = probe.getAsLong();
      readAt = now;
      valid = true;
    }
    return reading;
  }
}
