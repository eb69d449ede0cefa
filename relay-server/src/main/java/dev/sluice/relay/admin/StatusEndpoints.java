package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.spool.Spool;
import dev.sluice.routing.config.RoutesConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** {@code GET /api/v1/status}: what runs, since when, and how the spool, queue and policy stand. */
public final class StatusEndpoints {
  private StatusEndpoints() {}

  /**
   * What the server knows of itself at start.
   *
   * @param policyFile routes.yaml, or null for the built-in policy
   * @param policyLoadedAt when the running policy was loaded
   * @param overrides how many operator overrides of routes.yaml are in force
   */
  public record Facts(
      String hostname,
      Instant startedAt,
      Supplier<List<Listener>> listeners,
      Path policyFile,
      Supplier<Instant> policyLoadedAt,
      Supplier<Integer> overrides) {}

  /**
   * One SMTP listener as bound.
   *
   * @param mode relay, submission or submissions
   */
  public record Listener(String name, String mode, String address) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Status(
      String version,
      String hostname,
      Instant startedAt,
      long uptimeSeconds,
      List<Listener> listeners,
      SpoolState spool,
      QueueState queue,
      Policy policy) {}

  record SpoolState(int messages, boolean healthy, boolean writable) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record QueueState(int waiting, int ready, int inFlight, int active) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Policy(String file, Instant loadedAt, int pools, int rules, int overrides) {}

  public static void register(
      AdminRoutes routes,
      Facts facts,
      Spool spool,
      Scheduler scheduler,
      Supplier<RoutesConfig> policy,
      Clock clock) {
    routes.get(
        "/api/v1/status",
        request ->
            scheduler
                .summary()
                .thenApply(
                    q -> {
                      Instant now = clock.instant();
                      RoutesConfig p = policy.get();
                      return AdminResponse.ok(
                          new Status(
                              version(),
                              facts.hostname(),
                              facts.startedAt(),
                              Math.max(0, Duration.between(facts.startedAt(), now).toSeconds()),
                              facts.listeners().get(),
                              new SpoolState(
                                  spool.entries().size(), spool.healthy(), spool.writable()),
                              new QueueState(q.waiting(), q.ready(), q.inFlight(), q.active()),
                              new Policy(
                                  facts.policyFile() == null ? null : facts.policyFile().toString(),
                                  facts.policyLoadedAt().get(),
                                  p.pools().size(),
                                  p.rules().size(),
                                  facts.overrides().get())));
                    }));
  }

  /** The version from the jar manifest, or "development" when run from classes. */
  static String version() {
    String v = StatusEndpoints.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
