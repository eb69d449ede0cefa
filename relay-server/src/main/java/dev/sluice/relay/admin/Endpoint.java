package dev.sluice.relay.admin;

import java.util.concurrent.CompletableFuture;

/**
 * One admin route's logic. Runs on a Netty event loop: anything that waits (the scheduler's state,
 * the spool) is returned as a future rather than blocked on. May throw {@link ApiException} for a
 * refused request.
 */
@FunctionalInterface
public interface Endpoint {
  CompletableFuture<AdminResponse> handle(AdminRequest request);

  /** An endpoint whose answer is ready at once. */
  static Endpoint of(java.util.function.Function<AdminRequest, AdminResponse> now) {
    return request -> CompletableFuture.completedFuture(now.apply(request));
  }
}
