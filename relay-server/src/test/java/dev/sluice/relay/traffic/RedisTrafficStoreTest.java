package dev.sluice.relay.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.relay.config.ClusterConfig;
import dev.sluice.relay.testing.RedisServer;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.traffic.TrafficStore;
import dev.sluice.routing.traffic.TrafficStoreContract;
import dev.sluice.routing.units.Rate;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisTrafficStoreTest extends TrafficStoreContract {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /** Each test in a namespace of its own, on the one server. */
  @Override
  protected TrafficStore openEmptyStore() {
    return new RedisTrafficStore(config(redis, "test" + NAMESPACES.incrementAndGet() + ":", 0));
  }

  private static ClusterConfig config(RedisServer server, String prefix, long countCacheMillis) {
    return new ClusterConfig(
        server.uri(),
        2,
        prefix,
        ClusterConfig.DEFAULT_TIMEOUT,
        Duration.ofMillis(countCacheMillis));
  }

  private static Charge.Quota quota(String key, long cap) {
    return new Charge.Quota(key, 1, cap, T0.plus(Duration.ofDays(1)));
  }

  @Test
  void twoNodesAdmittingTogetherNeverExceedAQuota() throws Exception {
    long cap = 150;
    try (RedisTrafficStore a = new RedisTrafficStore(config(redis, "two-nodes:", 0));
        RedisTrafficStore b = new RedisTrafficStore(config(redis, "two-nodes:", 0))) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> admitted = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          RedisTrafficStore node = i % 2 == 0 ? a : b;
          Callable<Integer> worker =
              () -> {
                start.await();
                int n = 0;
                for (int attempt = 0; attempt < 40; attempt++) {
                  if (node.admit(List.of(quota("quota:day:ip-10", cap)), T0).isAdmitted()) {
                    n++;
                  }
                }
                return n;
              };
          admitted.add(pool.submit(worker));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : admitted) {
          total += f.get(30, TimeUnit.SECONDS);
        }

        assertThat(total).isEqualTo(cap);
        assertThat(a.count("quota:day:ip-10", T0)).isEqualTo(cap);
        assertThat(b.count("quota:day:ip-10", T0)).isEqualTo(cap);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void everyKeyIsNamespacedAndExpiresInRedis() {
    Instant day = T0.plus(Duration.ofDays(1));
    RedisClient client = RedisClient.create(redis.uri());
    try (RedisTrafficStore store = new RedisTrafficStore(config(redis, "expiry:", 0));
        StatefulRedisConnection<String, String> raw = client.connect()) {
      store.admit(
          List.of(
              quota("quota:day:ip-10", 10),
              new Charge.Bucket("rate:member:ses", 1, new Rate(10, Duration.ofHours(1)), 5)),
          T0);
      store.add("stat:attempts:ip-10", 1, day, T0);
      store.put("suspend:ip-10:gmail", "421", day, T0);
      store.putIfAbsent("warmup:start:ip-10", "2099-01-01", day, T0);

      assertThat(raw.sync().keys("expiry:*"))
          .containsExactlyInAnyOrder(
              "expiry:c:quota:day:ip-10",
              "expiry:b:rate:member:ses",
              "expiry:c:stat:attempts:ip-10",
              "expiry:v:suspend:ip-10:gmail",
              "expiry:v:warmup:start:ip-10");
      // Each for the time it had left at the call's now, counted by Redis from then.
      long dayMillis = Duration.ofDays(1).toMillis();
      for (String key :
          List.of(
              "expiry:c:quota:day:ip-10",
              "expiry:c:stat:attempts:ip-10",
              "expiry:v:suspend:ip-10:gmail",
              "expiry:v:warmup:start:ip-10")) {
        assertThat(raw.sync().pttl(key)).as(key).isBetween(dayMillis - 10_000, dayMillis);
      }
      // Full again after one token at 10/hour: 6 minutes.
      assertThat(raw.sync().pttl("expiry:b:rate:member:ses")).isBetween(350_000L, 360_000L);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aNodeWhoseClockIsBehindRedisKeepsItsLimits() {
    // An hour behind, and a bucket that takes 100 s to fill again: an expiry instant from this
    // clock is long past for Redis, while 100 s of real time is far more than the test needs.
    Instant behind = Instant.now().minus(Duration.ofHours(1));
    Charge.Bucket one =
        new Charge.Bucket("rate:member:ses", 1, new Rate(1, Duration.ofSeconds(10)), 10);
    try (RedisTrafficStore shared = new RedisTrafficStore(config(redis, "behind:", 0));
        LocalTrafficStore local = new LocalTrafficStore()) {
      assertThat(admitted(shared, one, behind, 50))
          .as("the bucket of burst 10 holds 10")
          .isEqualTo(admitted(local, one, behind, 50))
          .isEqualTo(10);
    }
  }

  private static int admitted(TrafficStore store, Charge charge, Instant now, int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; i++) {
      n += store.admit(List.of(charge), now).isAdmitted() ? 1 : 0;
    }
    return n;
  }

  @Test
  void countAnswersFromItsCacheForItsLifetime() {
    try (RedisTrafficStore cached = new RedisTrafficStore(config(redis, "cache:", 250));
        RedisTrafficStore other = new RedisTrafficStore(config(redis, "cache:", 0))) {
      Instant expiry = T0.plus(Duration.ofHours(1));
      assertThat(cached.count("stat:sent", T0)).isZero();
      other.add("stat:sent", 5, expiry, T0);

      assertThat(cached.count("stat:sent", T0.plusMillis(249))).isZero();
      assertThat(cached.count("stat:sent", T0.plusMillis(250))).isEqualTo(5);

      cached.add("stat:sent", 1, expiry, T0);
      assertThat(cached.count("stat:sent", T0.plusMillis(251))).as("own writes").isEqualTo(6);
    }
  }

  @Test
  void failsWhileRedisIsDownAndReloadsItsScriptsWhenItIsBack() {
    try (RedisServer own = RedisServer.start();
        RedisTrafficStore store = new RedisTrafficStore(config(own, "restart:", 0))) {
      assertThat(store.admit(List.of(quota("quota:day:ip-10", 10)), T0).isAdmitted()).isTrue();

      own.stop();

      assertThatThrownBy(() -> store.admit(List.of(quota("quota:day:ip-10", 10)), T0))
          .isInstanceOf(TrafficStoreUnavailableException.class)
          .hasMessageStartingWith("redis at 127.0.0.1:" + own.port() + "/0 failed");

      own.restart();

      assertThat(store.admit(List.of(quota("quota:day:ip-10", 10)), T0).isAdmitted()).isTrue();
      assertThat(store.count("quota:day:ip-10", T0)).as("a new, empty server").isEqualTo(1);
    }
  }
}
