package dev.sluice.relay.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.config.ClusterConfig;
import dev.sluice.relay.testing.RedisServer;
import dev.sluice.routing.testing.MutableClock;
import dev.sluice.routing.traffic.Admission;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FallbackTrafficStoreTest {
  private static final Instant T0 = Instant.parse("2099-01-01T00:00:00Z");
  private static final Instant DAY_END = T0.plus(Duration.ofDays(1));

  private final MutableClock clock = new MutableClock(T0);
  private final Logger logger = Logger.getLogger(FallbackTrafficStore.class.getName());
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private RedisServer redis;
  private FallbackTrafficStore store;

  @BeforeEach
  void start() {
    logger.addHandler(capture);
    redis = RedisServer.start();
    ClusterConfig config =
        new ClusterConfig(redis.uri(), 2, "sluice:", ClusterConfig.DEFAULT_TIMEOUT, Duration.ZERO);
    store =
        new FallbackTrafficStore(
            new RedisTrafficStore(config), new LocalTrafficStore(), config.nodes(), clock);
  }

  @AfterEach
  void stop() {
    store.close();
    redis.close();
    logger.removeHandler(capture);
  }

  private boolean admitOne(long cap) {
    return store
        .admit(List.of(new Charge.Quota("quota:day:ip-10", 1, cap, DAY_END)), T0)
        .isAdmitted();
  }

  private int admitted(long cap, int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; i++) {
      if (admitOne(cap)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void servesItsShareOfTheCapsLocallyWhileRedisIsDownThenGoesBackToRedis() {
    assertThat(admitted(11, 4)).isEqualTo(4);
    assertThat(store.count("quota:day:ip-10", T0)).isEqualTo(4);

    redis.stop();

    assertThat(admitted(11, 20)).as("11 / 2 nodes, rounded down").isEqualTo(5);
    assertThat(store.count("quota:day:ip-10", T0)).as("the local count").isEqualTo(5);
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(logged.get(0).getMessage())
        .startsWith(
            "redis unreachable, falling back to local limits scaled to 1/2 of the caps for 2 nodes"
                + " (retrying every 5s): redis at 127.0.0.1:"
                + redis.port()
                + "/0 failed: ");

    redis.restart();
    clock.advance(FallbackTrafficStore.RETRY_EVERY.minusMillis(1));
    assertThat(admitOne(11)).as("Redis is not tried before the retry time").isFalse();

    clock.advance(Duration.ofMillis(1));
    assertThat(admitted(11, 20)).as("the restarted Redis is empty").isEqualTo(11);
    assertThat(logged).hasSize(2);
    assertThat(logged.get(1).getLevel()).isEqualTo(Level.INFO);
    assertThat(logged.get(1).getMessage())
        .isEqualTo(
            "redis at 127.0.0.1:"
                + redis.port()
                + "/0 reachable again after 5s: shared limits apply again");
  }

  @Test
  void triesRedisAgainOnlyEveryFewSecondsAndLogsAnOutageOnce() {
    redis.stop();
    for (int second = 0; second < 20; second++) {
      store.put("suspend:ip-10:gmail", "421", DAY_END, clock.instant());
      assertThat(store.get("suspend:ip-10:gmail", T0)).contains("421");
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(logged).hasSize(1);
  }

  @Test
  void bucketsKeepTheirShareOfTheRateAndBurst() {
    redis.stop();
    Charge.Bucket one =
        new Charge.Bucket("rate:member:ses", 1, new Rate(10, Duration.ofSeconds(1)), 4);

    assertThat(store.admit(List.of(one), T0).isAdmitted()).isTrue();
    assertThat(store.admit(List.of(one), T0).isAdmitted()).isTrue();
    Admission third = store.admit(List.of(one), T0);

    assertThat(third.refusedBy()).as("the caller's own charge").contains(one);
    assertThat(third.retryAt()).as("5/s: one token in 200 ms").isEqualTo(T0.plusMillis(200));
  }
}
