package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sluice.relay.queue.QueueSummary;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.spool.Spool;
import dev.sluice.routing.config.RoutesConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/queues}: how much waits, and per (member, destination) path how many batches
 * are ready, since when, and how long they take to drain. The drain estimate is the ready batches
 * divided by the attempts that ended on that path per second over the last five minutes; null when
 * none ended in that time (a new or stuck path).
 */
public final class QueueEndpoints {
  private QueueEndpoints() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Summary(int waiting, int ready, int inFlight, int active, int messages) {}

  /**
   * @param pool the first pool (in routes.yaml order) that has the member
   * @param ready batches (recipients of one message going together) waiting for a connection
   * @param oldest when the oldest message waiting on the path was received
   * @param drainSeconds the estimated time to send what is ready, or null when unknown
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Path(
      String pool,
      String member,
      String destination,
      int ready,
      Instant oldest,
      Long drainSeconds) {}

  record Queues(Summary summary, List<Path> paths) {}

  public static void register(
      AdminRoutes routes,
      Scheduler scheduler,
      Spool spool,
      Supplier<RoutesConfig> policy,
      Clock clock) {
    routes.get(
        "/api/v1/queues",
        request ->
            scheduler
                .summary()
                .thenCompose(
                    s ->
                        scheduler.activity(
                            activity -> {
                              Instant now = clock.instant();
                              List<Path> paths = new ArrayList<>();
                              for (QueueSummary.Path p : s.paths()) {
                                double perSecond =
                                    activity.attemptsPerSecond(p.member(), p.destination(), now);
                                paths.add(
                                    new Path(
                                        pool(policy.get(), p.member()),
                                        p.member(),
                                        p.destination(),
                                        p.ready(),
                                        p.oldest(),
                                        perSecond > 0
                                            ? (long) Math.ceil(p.ready() / perSecond)
                                            : null));
                              }
                              paths.sort(
                                  Comparator.comparingInt(Path::ready)
                                      .reversed()
                                      .thenComparing(Path::member)
                                      .thenComparing(Path::destination));
                              return AdminResponse.ok(
                                  new Queues(summary(s, spool.entries().size()), paths));
                            })));
  }

  private static Summary summary(QueueSummary s, int messages) {
    return new Summary(s.waiting(), s.ready(), s.inFlight(), s.active(), messages);
  }

  private static String pool(RoutesConfig routes, String member) {
    return routes.pools().values().stream()
        .filter(p -> p.members().stream().anyMatch(m -> m.name().equals(member)))
        .map(p -> p.name())
        .findFirst()
        .orElse(null);
  }
}
