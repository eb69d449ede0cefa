package dev.sluice.relay.admin;

import dev.sluice.relay.metrics.PrometheusText;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus text exposition, public like the health checks. */
public final class MetricsEndpoint {
  private MetricsEndpoint() {}

  /**
   * @param scrape the whole exposition, once every source has answered
   */
  public static void register(AdminRoutes routes, Supplier<CompletableFuture<String>> scrape) {
    routes.add(
        "GET",
        "/metrics",
        AdminRoutes.Access.PUBLIC,
        request ->
            scrape
                .get()
                .thenApply(text -> AdminResponse.text(200, PrometheusText.CONTENT_TYPE, text)));
  }
}
