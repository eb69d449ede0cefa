package dev.sluice.relay.admin;

import dev.sluice.relay.policy.LivePolicy;
import dev.sluice.relay.policy.Policy;
import dev.sluice.relay.policy.ReloadResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /api/v1/reload}: loads routes.yaml again. 200 with what is in force when the file was
 * valid; 422 with every error as {@code file:line:column: message} when it was not (the running
 * policy stays); 409 when the server runs on the built-in default policy.
 */
public final class ReloadEndpoint {
  private ReloadEndpoint() {}

  /**
   * @param io where the file is read, off the event loop
   */
  public static void register(AdminRoutes routes, LivePolicy policy, Executor io) {
    routes.post(
        "/api/v1/reload",
        request -> CompletableFuture.supplyAsync(() -> answer(policy.reload("admin API")), io));
  }

  static AdminResponse answer(ReloadResult result) {
    if (result instanceof ReloadResult.Reloaded r) {
      Policy p = r.policy();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("reloaded", true);
      body.put("file", p.file().map(Object::toString).orElse(null));
      body.put("loaded_at", p.loadedAt());
      body.put("pools", p.configured().pools().size());
      body.put("rules", p.configured().rules().size());
      return AdminResponse.ok(body);
    }
    if (result instanceof ReloadResult.Invalid invalid) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", "routes.yaml is invalid; the running policy stays");
      body.put("errors", invalid.errors());
      return AdminResponse.json(422, body);
    }
    return AdminResponse.error(
        409, "the server runs on the built-in default policy: there is no routes.yaml to reload");
  }
}
