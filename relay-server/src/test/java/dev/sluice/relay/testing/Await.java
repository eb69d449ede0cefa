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
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + LIMIT.toSeconds() + " s waiting until " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
