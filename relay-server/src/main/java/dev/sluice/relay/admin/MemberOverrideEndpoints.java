package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.policy.LivePolicy;
import dev.sluice.relay.policy.MemberOverride;
import dev.sluice.relay.policy.Overrides;
import dev.sluice.relay.policy.Policy;
import dev.sluice.relay.queue.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Operator overrides of members, kept across restarts and applied on top of every routes.yaml:
 * {@code POST /api/v1/members/{member}/suspend {"reason"?}}, {@code .../resume}, {@code PUT
 * .../weight {"weight": n}}, {@code DELETE .../weight}, each answering the Member; and {@code GET
 * /api/v1/overrides}. 404 for a member the policy does not have (and no override names), 400 for a
 * bad weight or body.
 */
public final class MemberOverrideEndpoints {
  private static final int MAX_REASON = 500;

  private final LivePolicy policy;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Executor io;

  private MemberOverrideEndpoints(
      LivePolicy policy, Scheduler scheduler, Clock clock, Executor io) {
    this.policy = policy;
    this.scheduler = scheduler;
    this.clock = clock;
    this.io = io;
  }

  /**
   * @param io where the override file is written, off the event loop
   */
  public static void register(
      AdminRoutes routes, LivePolicy policy, Scheduler scheduler, Clock clock, Executor io) {
    MemberOverrideEndpoints e = new MemberOverrideEndpoints(policy, scheduler, clock, io);
    routes.post(
        "/api/v1/members/{member}/suspend",
        request -> {
          String reason = reason(request.json());
          return e.change(
              request, o -> o.suspend(request.param("member"), reason, clock.instant()));
        });
    routes.post(
        "/api/v1/members/{member}/resume",
        request -> e.change(request, o -> o.resume(request.param("member"), clock.instant())));
    routes.put(
        "/api/v1/members/{member}/weight",
        request -> {
          int weight = weight(request.json());
          return e.change(
              request,
              o -> o.withWeight(request.param("member"), OptionalInt.of(weight), clock.instant()));
        });
    routes.delete(
        "/api/v1/members/{member}/weight",
        request ->
            e.change(
                request,
                o -> o.withWeight(request.param("member"), OptionalInt.empty(), clock.instant())));
    routes.get("/api/v1/overrides", Endpoint.of(request -> AdminResponse.ok(e.list())));
  }

  private CompletableFuture<AdminResponse> change(
      AdminRequest request, UnaryOperator<Overrides> change) {
    String member = request.param("member");
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return policy
                    .override(member, change)
                    .orElseThrow(() -> new ApiException(404, "no member named '" + member + "'"));
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            },
            io)
        .thenCompose((Policy p) -> MemberJson.of(p, member, scheduler, clock))
        .thenApply(AdminResponse::ok);
  }

  private Map<String, Object> list() {
    Policy p = policy.current();
    List<String> unknown = p.unknownOverrides();
    List<Map<String, Object>> all = new ArrayList<>();
    for (MemberOverride o : p.overrides().all()) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("member", o.member());
      j.putAll(MemberJson.override(o));
      j.put("unknown", unknown.contains(o.member()));
      all.add(j);
    }
    return Map.of("overrides", all);
  }

  private static int weight(JsonNode body) {
    JsonNode w = body.get("weight");
    if (w == null || !w.isIntegralNumber() || !w.canConvertToInt() || w.asInt() < 1) {
      throw new ApiException(400, "weight must be an integer of at least 1");
    }
    return w.asInt();
  }

  private static String reason(JsonNode body) {
    JsonNode r = body.get("reason");
    if (r == null || r.isNull()) {
      return "";
    }
    if (!r.isTextual() || r.asText().length() > MAX_REASON) {
      throw new ApiException(
          400, "reason must be a string of at most " + MAX_REASON + " characters");
    }
    return r.asText().strip();
  }
}
