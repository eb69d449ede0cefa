package dev.sluice.relay.spool;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link SegmentSpool}. Immutable.
 *
 * @param segmentBytes the size at which a body segment is sealed and a new one started; also the
 *     journal size that triggers a checkpoint (default 64 MiB)
 * @param minFreeBytes the free space under which {@code store()} is refused (default 100 MiB)
 * @param maxCommitDelay how long the committer may wait to gather a larger batch; zero (the
 *     default) commits as soon as the previous fsync returns
 */
public record SpoolOptions(long segmentBytes, long minFreeBytes, Duration maxCommitDelay) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final long DEFAULT_MIN_FREE_BYTES = 100L << 20;
  static final long MIN_SEGMENT_BYTES = 4096;

  public SpoolOptions {
    if (segmentBytes < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ": " + segmentBytes);
    }
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes must not be negative: " + minFreeBytes);
    }
    Objects.requireNonNull(maxCommitDelay, "maxCommitDelay");
    if (maxCommitDelay.isNegative()) {
      throw new IllegalArgumentException("maxCommitDelay must not be negative: " + maxCommitDelay);
    }
  }

  /** 64 MiB segments, 100 MiB free-space threshold, commit without delay. */
  public static SpoolOptions defaults() {
    return new SpoolOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MIN_FREE_BYTES, Duration.ZERO);
  }

  public SpoolOptions withSegmentBytes(long bytes) {
    return new SpoolOptions(bytes, minFreeBytes, maxCommitDelay);
  }

  public SpoolOptions withMinFreeBytes(long bytes) {
    return new SpoolOptions(segmentBytes, bytes, maxCommitDelay);
  }

  public SpoolOptions withMaxCommitDelay(Duration delay) {
    return new SpoolOptions(segmentBytes, minFreeBytes, delay);
  }
}
