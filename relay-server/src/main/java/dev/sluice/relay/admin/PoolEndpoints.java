package dev.sluice.relay.admin;

import java.util.Map;

/** {@code GET /api/v1/pools} and {@code GET /api/v1/pools/{pool}}: pools with live member state. */
public final class PoolEndpoints {
  private PoolEndpoints() {}

  public static void register(AdminRoutes routes, MemberViews views) {
    routes.get(
        "/api/v1/pools",
        request -> views.pools().thenApply(pools -> AdminResponse.ok(Map.of("pools", pools))));
    routes.get(
        "/api/v1/pools/{pool}",
        request -> {
          String name = request.param("pool");
          return views
              .pool(name)
              .thenApply(
                  pool ->
                      AdminResponse.ok(
                          pool.orElseThrow(
                              () -> new ApiException(404, "no pool named '" + name + "'"))));
        });
  }
}
