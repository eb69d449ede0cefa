package dev.sluice.relay.admin;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (it should get traffic: every listener
 * bound, the spool healthy, not shutting down). Both are public, for load balancers and systemd
 * probes; readiness answers 503 with the reasons when it is not ready.
 */
public final class HealthEndpoints {
  private HealthEndpoints() {}

  /**
   * Registers both routes.
   *
   * @param problems why the node should not get traffic now; empty when ready
   */
  public static void register(AdminRoutes routes, Supplier<List<String>> problems) {
    routes.add(
        "GET",
        "/healthz",
        AdminRoutes.Access.PUBLIC,
        Endpoint.of(request -> AdminResponse.ok(Map.of("status", "ok"))));
    routes.add(
        "GET",
        "/readyz",
        AdminRoutes.Access.PUBLIC,
        Endpoint.of(
            request -> {
              List<String> reasons = problems.get();
              return reasons.isEmpty()
                  ? AdminResponse.ok(Map.of("status", "ready"))
                  : AdminResponse.json(503, Map.of("status", "not ready", "reasons", reasons));
            }));
  }
}
