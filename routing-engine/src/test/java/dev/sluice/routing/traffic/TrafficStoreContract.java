package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TrafficStore} promises. A backend's test extends this class and says how to
 * open an empty store; shared with relay-server through the test-jar.
 *
 * <p>The instants lie in 2099, after any real clock. A remote store may also drop keys by itself,
 * as garbage collection, once the time a call left them until their expiry has passed by its own
 * clock; the calls of a test come well within the shortest such time here (100 ms).
 */
public abstract class TrafficStoreContract {
  protected static final Instant T0 = Instant.parse("2099-01-01T00:00:00Z");
  private static final Instant DAY_END = T0.plus(Duration.ofDays(1));
  private static final Rate TEN_PER_SECOND = new Rate(10, Duration.ofSeconds(1));

  protected TrafficStore store;

  /** A store holding nothing, for one test. */
  protected abstract TrafficStore openEmptyStore();

  @BeforeEach
  void open() {
    store = openEmptyStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Charge.Quota quota(String key, long amount, long cap) {
    return new Charge.Quota(key, amount, cap, DAY_END);
  }

  private static Charge.Bucket bucket(String key, long amount, long burst) {
    return new Charge.Bucket(key, amount, TEN_PER_SECOND, burst);
  }

  private Admission admit(Instant now, Charge... charges) {
    return store.admit(List.of(charges), now);
  }

  @Test
  void quotaAdmitsUpToItsCapThenRefusesUntilItResets() {
    Charge.Quota two = quota("quota:day:ip-10", 2, 3);

    assertThat(admit(T0, two)).isEqualTo(Admission.admitted(T0));
    assertThat(admit(T0, two)).isEqualTo(Admission.refused(two, DAY_END));
    assertThat(admit(T0, quota("quota:day:ip-10", 1, 3)).isAdmitted()).isTrue();
    assertThat(store.count("quota:day:ip-10", T0)).isEqualTo(3);
    assertThat(admit(DAY_END.minusMillis(1), quota("quota:day:ip-10", 1, 3)).isAdmitted())
        .isFalse();

    assertThat(store.count("quota:day:ip-10", DAY_END)).isZero();
    Charge.Quota nextDay =
        new Charge.Quota("quota:day:ip-10", 3, 3, DAY_END.plus(Duration.ofDays(1)));
    assertThat(admit(DAY_END, nextDay).isAdmitted()).isTrue();
    assertThat(store.count("quota:day:ip-10", DAY_END)).isEqualTo(3);
  }

  @Test
  void quotaOfCapZeroAdmitsNothing() {
    Charge.Quota none = quota("quota:day:paused", 1, 0);
    assertThat(admit(T0, none)).isEqualTo(Admission.refused(none, DAY_END));
  }

  @Test
  void admissionIsAllOrNothing() {
    Charge.Quota member = quota("quota:day:ip-10", 1, 10);
    Charge.Bucket rate = bucket("rate:member:ip-10", 1, 1);
    Charge.Quota tenant = quota("quota:day:tenant-a", 1, 1);
    assertThat(admit(T0, tenant).isAdmitted()).isTrue();

    Admission refused = admit(T0, member, rate, tenant);

    assertThat(refused).isEqualTo(Admission.refused(tenant, DAY_END));
    assertThat(store.count("quota:day:ip-10", T0)).isZero();
    assertThat(admit(T0, rate).isAdmitted()).as("the bucket was not taken from").isTrue();
  }

  @Test
  void twoChargesOnOneKeyAddUp() {
    Charge.Quota three = quota("quota:day:ip-10", 3, 5);
    assertThat(admit(T0, three, three)).isEqualTo(Admission.refused(three, DAY_END));
    assertThat(store.count("quota:day:ip-10", T0)).isZero();

    Charge.Bucket two = bucket("rate:member:ip-10", 2, 3);
    assertThat(admit(T0, two, two).isAdmitted()).isFalse();
  }

  @Test
  void refundGivesQuotaBackButNeverBelowZero() {
    Charge.Quota three = quota("quota:day:ip-10", 3, 3);
    assertThat(admit(T0, three).isAdmitted()).isTrue();

    store.refund(List.of(quota("quota:day:ip-10", 2, 3)), T0);

    assertThat(store.count("quota:day:ip-10", T0)).isEqualTo(1);
    assertThat(admit(T0, quota("quota:day:ip-10", 2, 3)).isAdmitted()).isTrue();
    store.refund(List.of(quota("quota:day:ip-10", 50, 3)), T0);
    assertThat(store.count("quota:day:ip-10", T0)).isZero();
    store.refund(List.of(quota("quota:day:never-charged", 1, 3)), T0);
    assertThat(store.count("quota:day:never-charged", T0)).isZero();
  }

  @Test
  void bucketLetsItsBurstGoThenRefillsAtItsRate() {
    Charge.Bucket one = bucket("rate:member:ses", 1, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(admit(T0, one).isAdmitted()).isTrue();
    }

    assertThat(admit(T0, one)).isEqualTo(Admission.refused(one, T0.plusMillis(100)));
    assertThat(admit(T0.plusMillis(99), one).isAdmitted()).isFalse();
    assertThat(admit(T0.plusMillis(100), one).isAdmitted()).isTrue();
    assertThat(admit(T0.plusMillis(100), one))
        .isEqualTo(Admission.refused(one, T0.plusMillis(200)));
  }

  @Test
  void bucketRefillStopsAtTheBurst() {
    Charge.Bucket one = bucket("rate:member:ses", 1, 5);
    assertThat(admit(T0, one).isAdmitted()).isTrue();

    Instant later = T0.plus(Duration.ofHours(1));
    for (int i = 0; i < 5; i++) {
      assertThat(admit(later, one).isAdmitted()).isTrue();
    }
    assertThat(admit(later, one).isAdmitted()).isFalse();
  }

  @Test
  void chargeLargerThanTheBurstPassesWhenFullAndItsDebtDelaysTheNext() {
    Charge.Bucket fifteen = bucket("rate:destination:gmail", 15, 5);
    Charge.Bucket one = bucket("rate:destination:gmail", 1, 5);

    assertThat(admit(T0, fifteen).isAdmitted()).isTrue();

    // 5 - 15 = -10 tokens: one more needs 11, which take 1.1 s at 10/s.
    assertThat(admit(T0, one)).isEqualTo(Admission.refused(one, T0.plusMillis(1100)));
    assertThat(admit(T0.plusMillis(1099), one).isAdmitted()).isFalse();
    assertThat(admit(T0.plusMillis(1100), one).isAdmitted()).isTrue();
    // A big batch needs only a full bucket, never more than the burst.
    assertThat(admit(T0.plusMillis(1100), fifteen))
        .isEqualTo(Admission.refused(fifteen, T0.plusMillis(1600)));
  }

  @Test
  void bucketsOfDifferentKeysAreIndependent() {
    Charge.Bucket ses = bucket("rate:member:ses", 1, 1);
    Charge.Bucket postmark = bucket("rate:member:postmark", 1, 1);
    assertThat(admit(T0, ses).isAdmitted()).isTrue();
    assertThat(admit(T0, postmark).isAdmitted()).isTrue();
    assertThat(admit(T0, ses).isAdmitted()).isFalse();
  }

  @Test
  void counterAddsUpUntilItExpires() {
    Instant expiry = T0.plus(Duration.ofMinutes(5));
    assertThat(store.add("stat:failures:ip-10", 2, expiry, T0)).isEqualTo(2);
    assertThat(store.add("stat:failures:ip-10", 3, expiry, T0)).isEqualTo(5);
    assertThat(store.add("stat:failures:ip-10", -1, expiry, T0)).isEqualTo(4);

    assertThat(store.count("stat:failures:ip-10", expiry.minusMillis(1))).isEqualTo(4);
    assertThat(store.count("stat:failures:ip-10", expiry)).isZero();
    assertThat(store.add("stat:failures:ip-10", 1, expiry.plus(Duration.ofMinutes(5)), expiry))
        .isEqualTo(1);
    assertThat(store.count("stat:never-added", T0)).isZero();
  }

  @Test
  void sharedValueIsSetUntilItExpires() {
    Instant until = T0.plus(Duration.ofHours(1));
    assertThat(store.get("suspend:ip-10:gmail", T0)).isEmpty();

    store.put("suspend:ip-10:gmail", "421 4.7.0 try later", until, T0);

    assertThat(store.get("suspend:ip-10:gmail", T0)).contains("421 4.7.0 try later");
    store.put("suspend:ip-10:gmail", "421 4.7.28 rate limited", until, T0);
    assertThat(store.get("suspend:ip-10:gmail", until.minusMillis(1)))
        .contains("421 4.7.28 rate limited");
    assertThat(store.get("suspend:ip-10:gmail", until)).isEmpty();
  }

  @Test
  void putIfAbsentKeepsTheValueThatIsSet() {
    Instant far = T0.plus(Duration.ofDays(365));
    assertThat(store.putIfAbsent("warmup:start:ip-10", "2099-01-01", far, T0))
        .isEqualTo("2099-01-01");
    assertThat(store.putIfAbsent("warmup:start:ip-10", "2099-01-02", far, T0))
        .isEqualTo("2099-01-01");
    assertThat(store.get("warmup:start:ip-10", T0)).contains("2099-01-01");

    store.remove("warmup:start:ip-10");

    assertThat(store.get("warmup:start:ip-10", T0)).isEmpty();
    assertThat(store.putIfAbsent("warmup:start:ip-10", "2099-01-03", far, T0))
        .isEqualTo("2099-01-03");
  }

  @Test
  void putIfAbsentKeepsTheValueSetUntilTheNewExpiry() {
    Instant hour = T0.plus(Duration.ofHours(1));
    store.putIfAbsent("warmup:start:ip-10", "2099-01-01", hour, T0);

    assertThat(
            store.putIfAbsent(
                "warmup:start:ip-10",
                "2099-01-02",
                hour.plus(Duration.ofHours(1)),
                hour.minusMillis(1)))
        .isEqualTo("2099-01-01");
    assertThat(store.get("warmup:start:ip-10", hour)).contains("2099-01-01");
  }

  @Test
  void removeForgetsCountersAndBuckets() {
    assertThat(admit(T0, quota("quota:day:ip-10", 2, 2)).isAdmitted()).isTrue();
    assertThat(admit(T0, bucket("rate:member:ses", 1, 1)).isAdmitted()).isTrue();

    store.remove("quota:day:ip-10");
    store.remove("rate:member:ses");

    assertThat(store.count("quota:day:ip-10", T0)).isZero();
    assertThat(admit(T0, quota("quota:day:ip-10", 2, 2)).isAdmitted()).isTrue();
    assertThat(admit(T0, bucket("rate:member:ses", 1, 1)).isAdmitted()).isTrue();
  }

  @Test
  void counterAndSharedValueOfOneKeyAreSeparate() {
    store.put("same", "value", DAY_END, T0);
    assertThat(store.add("same", 7, DAY_END, T0)).isEqualTo(7);
    assertThat(store.get("same", T0)).contains("value");
    assertThat(store.count("same", T0)).isEqualTo(7);
  }

  @Test
  void valuesListsTheLiveSharedValuesUnderAPrefix() {
    store.put("suspend:ip-10:gmail", "a", DAY_END, T0);
    store.put("suspend:ip-11:outlook", "b", T0.plus(Duration.ofMinutes(1)), T0);
    store.put("suspend:ip-12:yahoo", "c", T0.plus(Duration.ofMinutes(10)), T0);
    store.put("warmup:start:ip-10", "2099-01-01", DAY_END, T0);
    store.put("suspend*[x]?", "glob characters are literal", DAY_END, T0);
    store.add("suspend:counter", 1, DAY_END, T0);

    Map<String, String> suspensions = store.values("suspend:", T0.plus(Duration.ofMinutes(5)));

    assertThat(suspensions)
        .containsOnly(Map.entry("suspend:ip-10:gmail", "a"), Map.entry("suspend:ip-12:yahoo", "c"));
    assertThat(store.values("suspend*[", T0)).containsOnlyKeys("suspend*[x]?");
    assertThat(store.values("nothing:", T0)).isEmpty();
  }

  @Test
  void concurrentAdmissionsNeverExceedAQuota() throws Exception {
    int threads = 8;
    int attemptsPerThread = 40;
    long cap = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> admitted = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        Callable<Integer> worker =
            () -> {
              start.await();
              int n = 0;
              for (int a = 0; a < attemptsPerThread; a++) {
                if (admit(T0, quota("quota:day:shared", 1, cap), bucket("rate:big", 1, 1_000))
                    .isAdmitted()) {
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
      assertThat(store.count("quota:day:shared", T0)).isEqualTo(cap);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void admittedAnswersTheDecisionInstant() {
    assertThat(admit(T0.plusMillis(7), quota("quota:day:ip-10", 1, 1)))
        .isEqualTo(new Admission(Optional.empty(), T0.plusMillis(7)));
  }
}
