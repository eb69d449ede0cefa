package dev.sluice.routing.traffic;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the counters, buckets and shared states of traffic control live: in this process (the
 * default) or in Redis, so that several nodes share quotas, rate limits, warmup progress and
 * suspensions. Every method is atomic on its own and safe to call from any thread; {@link #admit}
 * is atomic across its charges (all or nothing), never a read-modify-write race between nodes.
 *
 * <p>Time is always passed in: the store keeps no clock of its own, so that tests and simulations
 * run on virtual time and nodes agree on windows by their (NTP-synchronised) clocks.
 *
 * <p>Counters, shared values and buckets are three separate kinds: a counter and a shared value may
 * have the same key without meeting. A {@link Charge.Quota}'s key is a counter ({@link #count}
 * tells how much of the quota is used); a {@link Charge.Bucket}'s is a bucket, forgotten once full
 * again. Something past its expiry at the {@code now} of a call reads as absent and is dropped. A
 * remote store that also drops entries by itself, to collect garbage, does so once as much time as
 * there was between the {@code now} of the call that set the expiry and the expiry has passed, by
 * its own clock: never earlier because its clock is ahead of the caller's.
 */
public interface TrafficStore extends AutoCloseable {
  /** Takes every charge if each fits, else none; says which did not fit and until when. */
  Admission admit(List<Charge> charges, Instant now);

  /**
   * Gives back quota charges taken by {@link #admit} for recipients that were never handed over (a
   * connection that failed, a deferral). Bucket charges are not given back: the attempt was made.
   */
  void refund(List<Charge.Quota> charges, Instant now);

  /** The value of a counter, 0 when absent or expired. A remote backend may answer from a cache. */
  long count(String key, Instant now);

  /**
   * Adds {@code delta} to a counter without a cap and returns its new value; from this call on, it
   * is forgotten at {@code expiresAt}.
   */
  long add(String key, long delta, Instant expiresAt, Instant now);

  /** A shared value (a suspension, a warmup start day), if set and not expired. */
  Optional<String> get(String key, Instant now);

  /** Sets a shared value until {@code expiresAt}. */
  void put(String key, String value, Instant expiresAt, Instant now);

  /**
   * Sets a shared value unless one is set, and returns the value that is set now; either way, from
   * this call on, it is forgotten at {@code expiresAt}.
   */
  String putIfAbsent(String key, String value, Instant expiresAt, Instant now);

  /** Removes the shared value, the counter and the bucket of {@code key}. */
  void remove(String key);

  /** Every shared value whose key starts with {@code prefix}, for listing suspensions. */
  Map<String, String> values(String prefix, Instant now);

  /** Releases connections; the in-process store has nothing to release. */
  @Override
  default void close() {}
}
