package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sluice.relay.policy.Policy;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.spool.Spool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** {@code GET /api/v1/status}: what runs, since when, and how the spool, queue and policy stand. */
public final class StatusEndpoints {
  private StatusEndpoints() {}

  /** What the server knows of itself at start. */
  public record Facts(String hostname, Instant startedAt, List<Listener> listeners) {
    public Facts {
      listeners = List.copyOf(listeners);
    }
  }

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
      PolicyState policy) {}

  record SpoolState(int messages, boolean healthy, boolean writable) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record QueueState(int waiting, int ready, int inFlight, int active) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record PolicyState(String file, Instant loadedAt, int pools, int rules, int overrides) {}

  public static void register(
      AdminRoutes routes,
      Facts facts,
      Spool spool,
      Scheduler scheduler,
      Supplier<Policy> policy,
      Clock clock) {
    routes.get(
        "/api/v1/status",
        request ->
            scheduler
                .summary()
                .thenApply(
                    q -> {
                      Instant now = clock.instant();
                      Policy p = policy.get();
                      return AdminResponse.ok(
                          new Status(
                              version(),
                              facts.hostname(),
                              facts.startedAt(),
                              Math.max(0, Duration.between(facts.startedAt(), now).toSeconds()),
                              facts.listeners(),
                              new SpoolState(
                                  spool.entries().size(), spool.healthy(), spool.writable()),
                              new QueueState(q.waiting(), q.ready(), q.inFlight(), q.active()),
                              new PolicyState(
                                  p.file().map(Path::toString).orElse(null),
                                  p.loadedAt(),
                                  p.routes().pools().size(),
                                  p.routes().rules().size(),
                                  p.overrides().all().size())));
                    }));
  }

  /** The version from the jar manifest, or "development" when run from classes. */
  static String version() {
    String v = StatusEndpoints.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
