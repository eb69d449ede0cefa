package dev.sluice.relay.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in a test, instead of sleeping for a guessed time. */
public final class Await {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

  private Await() {}

  /** Returns once {@code condition} holds; fails naming {@code what} after 20 seconds. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, LIMIT, condition);
  }

  /** Returns once {@code condition} holds; fails naming {@code what} after {@code limit}. */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + limit.toSeconds() + " s waiting until " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
