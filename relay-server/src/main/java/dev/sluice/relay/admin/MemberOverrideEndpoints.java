package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.policy.LivePolicy;
import dev.sluice.relay.policy.MemberOverride;
import dev.sluice.relay.policy.Overrides;
import dev.sluice.relay.policy.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final MemberViews views;
  private final Executor io;

  private MemberOverrideEndpoints(LivePolicy policy, MemberViews views, Executor io) {
    this.policy = policy;
    this.views = views;
    this.io = io;
  }

  /**
   * @param io where the override file is written, off the event loop
   */
  public static void register(
      AdminRoutes routes, LivePolicy policy, MemberViews views, Clock clock, Executor io) {
    MemberOverrideEndpoints e = new MemberOverrideEndpoints(policy, views, io);
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
        .thenCompose((Policy p) -> views.member(member).thenApply(v -> answer(p, member, v)));
  }

  /** The member as it stands now, or what is known of one a reload removed. */
  private static AdminResponse answer(Policy p, String member, Optional<MemberView> view) {
    if (view.isPresent()) {
      return AdminResponse.ok(view.get());
    }
    Map<String, Object> unknown = new LinkedHashMap<>();
    unknown.put("name", member);
    unknown.put("status", "unknown");
    unknown.put("active", false);
    unknown.put("detail", "not in routes.yaml; the override applies if the member comes back");
    unknown.put("override", MemberViews.override(p, member));
    return AdminResponse.ok(unknown);
  }

  private Map<String, Object> list() {
    Policy p = policy.current();
    List<String> unknown = p.unknownOverrides();
    List<Map<String, Object>> all = new ArrayList<>();
    for (MemberOverride o : p.overrides().all()) {
      Map<String, Object> j = new LinkedHashMap<>();
      MemberView.OperatorOverride v = MemberViews.override(p, o.member());
      j.put("member", o.member());
      j.put("weight", v.weight());
      j.put("suspended", v.suspended());
      j.put("reason", v.reason());
      j.put("by", v.by());
      j.put("at", v.at());
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
