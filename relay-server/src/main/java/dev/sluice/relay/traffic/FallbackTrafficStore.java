package dev.sluice.relay.traffic;

import dev.sluice.routing.traffic.Admission;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.LocalTrafficStore;
import dev.sluice.routing.traffic.TrafficStore;
import dev.sluice.routing.units.Rate;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The store of a node in a cluster: Redis while it answers, else this node's own {@link
 * LocalTrafficStore} with every cap and rate divided by the number of nodes, so that the cluster as
 * a whole never sends more than its limits while the nodes cannot see each other.
 *
 * <p>The first failure of an outage is logged once, as a warning; then Redis is tried again by one
 * call at most every {@link #RETRY_EVERY} (by the injected clock), the others going straight to the
 * local store, and its return is logged. Local counts start from zero and are kept between outages,
 * and what the local store holds is not copied to Redis when it returns. Thread-safe.
 */
public final class FallbackTrafficStore implements TrafficStore {
  /** How often Redis is tried again while it is unreachable. */
  public static final Duration RETRY_EVERY = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(FallbackTrafficStore.class.getName());

  private final RedisTrafficStore redis;
  private final LocalTrafficStore local;
  private final int nodes;
  private final Clock clock;
  private boolean down; // guarded by this
  private Instant downSince; // guarded by this
  private Instant nextTry; // guarded by this

  private enum Route {
    REDIS,
    RETRY,
    LOCAL
  }

  /**
   * @param nodes how many nodes share the limits; while Redis is unreachable this node keeps to
   *     1/nodes of each
   */
  public FallbackTrafficStore(
      RedisTrafficStore redis, LocalTrafficStore local, int nodes, Clock clock) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1");
    }
    this.redis = redis;
    this.local = local;
    this.nodes = nodes;
    this.clock = clock;
  }

  @Override
  public Admission admit(List<Charge> charges, Instant now) {
    return call(
        store -> store.admit(charges, now),
        store -> {
          List<Charge> shares = new ArrayList<>(charges.size());
          for (Charge c : charges) {
            shares.add(share(c));
          }
          Admission a = store.admit(shares, now);
          return a.refusedBy()
              .map(by -> Admission.refused(charges.get(shares.indexOf(by)), a.retryAt()))
              .orElse(a);
        });
  }

  @Override
  public void refund(List<Charge.Quota> charges, Instant now) {
    call(
        store -> {
          store.refund(charges, now);
          return null;
        });
  }

  @Override
  public long count(String key, Instant now) {
    return call(store -> store.count(key, now));
  }

  @Override
  public long add(String key, long delta, Instant expiresAt, Instant now) {
    return call(store -> store.add(key, delta, expiresAt, now));
  }

  @Override
  public Optional<String> get(String key, Instant now) {
    return call(store -> store.get(key, now));
  }

  @Override
  public void put(String key, String value, Instant expiresAt, Instant now) {
    call(
        store -> {
          store.put(key, value, expiresAt, now);
          return null;
        });
  }

  @Override
  public String putIfAbsent(String key, String value, Instant expiresAt, Instant now) {
    return call(store -> store.putIfAbsent(key, value, expiresAt, now));
  }

  @Override
  public void remove(String key) {
    call(
        store -> {
          store.remove(key);
          return null;
        });
  }

  @Override
  public Map<String, String> values(String prefix, Instant now) {
    return call(store -> store.values(prefix, now));
  }

  @Override
  public void close() {
    redis.close();
    local.close();
  }

  /**
   * This node's share of a charge: a quota's cap divided by the nodes, rounded down; a bucket's
   * rate exactly (its period multiplied), its burst rounded down but at least 1.
   */
  private Charge share(Charge charge) {
    if (charge instanceof Charge.Quota q) {
      return new Charge.Quota(q.key(), q.amount(), q.cap() / nodes, q.resetsAt());
    }
    Charge.Bucket b = (Charge.Bucket) charge;
    return new Charge.Bucket(
        b.key(),
        b.amount(),
        new Rate(b.rate().count(), b.rate().period().multipliedBy(nodes)),
        Math.max(1, b.burst() / nodes));
  }

  private <T> T call(Function<TrafficStore, T> operation) {
    return call(operation, operation);
  }

  private <T> T call(Function<TrafficStore, T> onRedis, Function<TrafficStore, T> onLocal) {
    Route route = route();
    if (route == Route.LOCAL) {
      return onLocal.apply(local);
    }
    try {
      T answer = onRedis.apply(redis);
      if (route == Route.RETRY) {
        back();
      }
      return answer;
    } catch (TrafficStoreUnavailableException e) {
      failed(e);
      return onLocal.apply(local);
    }
  }

  private synchronized Route route() {
    if (!down) {
      return Route.REDIS;
    }
    Instant now = clock.instant();
    if (now.isBefore(nextTry)) {
      return Route.LOCAL;
    }
    nextTry = now.plus(RETRY_EVERY);
    return Route.RETRY;
  }

  private synchronized void failed(TrafficStoreUnavailableException e) {
    if (down) {
      return;
    }
    down = true;
    downSince = clock.instant();
    nextTry = downSince.plus(RETRY_EVERY);
    LOG.log(
        Level.WARNING,
        "redis unreachable, falling back to local limits scaled to 1/"
            + nodes
            + " of the caps for "
            + nodes
            + (nodes == 1 ? " node" : " nodes")
            + " (retrying every "
            + RETRY_EVERY.toSeconds()
            + "s): "
            + e.getMessage());
  }

  private synchronized void back() {
    if (!down) {
      return;
    }
    down = false;
    LOG.log(
        Level.INFO,
        "redis at "
            + redis.address()
            + " reachable again after "
            + Duration.between(downSince, clock.instant()).toSeconds()
            + "s: shared limits apply again");
  }
}
