package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.RedisServer;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sluice in cluster mode loses its Redis under a steady stream of mail, and gets it back on the
 * same port (empty: the restarted server keeps no data). docs/traffic-control.md, "Shared state and
 * clusters", promises that the node keeps sending within its share, logs one warning per outage and
 * one line when Redis is back; ingress does not use Redis at all, so no client is ever refused.
 * Every acknowledged message must reach the sink.
 */
@Tag("faults")
class RedisOutageTest {
  private static final String BODY = ("r".repeat(70) + "\r\n").repeat(10);
  private static final Logger FALLBACK =
      Logger.getLogger("dev.sluice.relay.traffic.FallbackTrafficStore");

  /** Messages acknowledged in each phase (before, during and after the outage) at least. */
  private static final int PER_PHASE = 20;

  @TempDir Path dir;

  @Test
  void redisGoingAwayUnderLoadLosesNothingRefusesNoClientAndIsNoticedBothWays() throws Exception {
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler listener =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(r.getLevel() + " " + r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    FALLBACK.addHandler(listener);
    try (RedisServer redis = RedisServer.start();
        ScriptedSmtpServer sink = ScriptedSmtpServer.start("127.0.0.1");
        FaultSluice sluice =
            FaultSluice.start(
                dir,
                sink.address().getPort(),
                "spool: { dir: spool, min_free: 1MB }\n"
                    + "cluster: { redis: \""
                    + redis.uri()
                    + "\", nodes: 2 }\n",
                "limits: { per_day: 100000 }")) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      List<String> refusals = new CopyOnWriteArrayList<>();
      AtomicBoolean sending = new AtomicBoolean(true);
      CompletableFuture<Void> stream =
          CompletableFuture.runAsync(
              () -> {
                for (int n = 0; sending.get(); n++) {
                  String token = "redis-" + n;
                  String reply = send(sluice, token);
                  if (reply != null && reply.startsWith("250 ")) {
                    acknowledged.add(token);
                  } else {
                    refusals.add(token + ": " + reply);
                  }
                }
              });
      try {
        awaitMore(acknowledged, stream);
        redis.stop();
        Await.until(
            "the node logs that it falls back to local limits",
            () -> logged.stream().anyMatch(l -> l.startsWith("WARNING redis unreachable")));
        awaitMore(acknowledged, stream);
        redis.restart();
        // The node tries Redis again every 5 s.
        Await.until(
            "the node logs that Redis is back",
            Duration.ofSeconds(30),
            () -> logged.stream().anyMatch(l -> l.contains("reachable again")));
        awaitMore(acknowledged, stream);
      } finally {
        sending.set(false);
      }
      stream.get();
      assertThat(refusals).as("ingress does not depend on Redis").isEmpty();
      Await.until(
          "every acknowledged message is at the sink",
          () -> FaultSluice.delivered(sink).keySet().containsAll(acknowledged));
      assertThat(logged)
          .as("one warning for the one outage")
          .filteredOn(l -> l.startsWith("WARNING"))
          .hasSize(1);
      System.out.printf(
          "redis outage: acknowledged=%d delivered=%d refused=%d%n",
          acknowledged.size(), FaultSluice.delivered(sink).size(), refusals.size());
    } finally {
      FALLBACK.removeHandler(listener);
    }
  }

  /** Waits until {@link #PER_PHASE} more messages were acknowledged. */
  private static void awaitMore(Set<String> acknowledged, CompletableFuture<Void> stream) {
    int target = acknowledged.size() + PER_PHASE;
    Await.until(
        target + " messages acknowledged",
        () -> {
          if (stream.isCompletedExceptionally()) {
            stream.join();
          }
          return acknowledged.size() >= target;
        });
  }

  private static String send(FaultSluice sluice, String token) {
    try {
      return sluice.send(token, BODY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
