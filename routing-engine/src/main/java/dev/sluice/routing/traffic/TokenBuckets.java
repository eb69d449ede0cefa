package dev.sluice.routing.traffic;

/**
 * The token bucket arithmetic of {@link Charge.Bucket}, shared by every {@link TrafficStore}. The
 * Redis store runs the same arithmetic in Lua ({@code relay-server}'s {@code admit.lua}): change
 * both together, operation for operation, so that a cluster and a single node limit alike.
 *
 * <p>A bucket is its tokens (a double; negative is debt) at an instant in epoch milliseconds. An
 * absent bucket is full. Refilling adds {@code elapsed × count / periodMs} tokens, capped at the
 * burst. Taking {@code amount} needs {@code min(amount, burst)} tokens and then removes {@code
 * amount}, so a batch larger than the burst passes once the bucket is full and its debt delays the
 * next. A bucket is forgotten when it would be full again, which is the same as keeping it.
 */
final class TokenBuckets {
  /**
   * A billionth of a token of slack, so that floating-point rounding never refuses a charge at the
   * very instant {@link #retryAt} promised.
   */
  static final double EPSILON = 1e-9;

  private TokenBuckets() {}

  /**
   * One bucket's state.
   *
   * @param tokens tokens available, negative when in debt
   * @param updatedAt when {@code tokens} was true, epoch milliseconds
   */
  record State(double tokens, long updatedAt) {}

  /** The bucket at {@code now}: full when absent, else refilled since it was last updated. */
  static State refill(State state, Charge.Bucket bucket, long now) {
    if (state == null) {
      return new State(bucket.burst(), now);
    }
    long elapsed = Math.max(0, now - state.updatedAt());
    double tokens =
        Math.min(
            bucket.burst(),
            state.tokens() + (double) elapsed * bucket.rate().count() / periodMillis(bucket));
    return new State(tokens, Math.max(now, state.updatedAt()));
  }

  /** Whether a refilled bucket holds the tokens {@code bucket} needs. */
  static boolean fits(State state, Charge.Bucket bucket) {
    return state.tokens() + EPSILON >= needed(bucket);
  }

  /** The bucket after the charge: {@code amount} tokens fewer, possibly in debt. */
  static State take(State state, Charge.Bucket bucket) {
    return new State(state.tokens() - bucket.amount(), state.updatedAt());
  }

  /** When a refilled bucket that does not fit will hold the tokens the charge needs. */
  static long retryAt(State state, Charge.Bucket bucket) {
    double missing = needed(bucket) - state.tokens();
    return state.updatedAt()
        + (long) Math.ceil(missing * periodMillis(bucket) / bucket.rate().count());
  }

  /** When the bucket is full again and may be forgotten. */
  static long fullAt(State state, Charge.Bucket bucket) {
    double missing = bucket.burst() - state.tokens();
    return state.updatedAt()
        + (long) Math.ceil(missing * periodMillis(bucket) / bucket.rate().count());
  }

  /** The rate's period in milliseconds, at least 1. */
  static long periodMillis(Charge.Bucket bucket) {
    return Math.max(1, bucket.rate().period().toMillis());
  }

  private static double needed(Charge.Bucket bucket) {
    return Math.min(bucket.amount(), bucket.burst());
  }
}
