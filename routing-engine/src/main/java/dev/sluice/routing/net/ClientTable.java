package dev.sluice.routing.net;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * State per client for a limit on clients (the connection rate), keyed by {@link ClientKeys}: an
 * IPv6 client is its /64. Entries back in their initial state are forgotten once the table has
 * doubled since the last sweep, so clients from many addresses cannot grow it without end, at an
 * amortised constant cost per update. Thread-safe.
 *
 * @param <V> one client's state, immutable
 */
public final class ClientTable<V> {
  private static final int MIN_SWEEP = 1024;

  private final ConcurrentHashMap<String, V> byClient = new ConcurrentHashMap<>();
  private volatile int sweepAt = MIN_SWEEP;

  /**
   * Replaces the state of {@code address}'s client with {@code update} of it (null when there is
   * none), atomically; then, if the table has doubled, drops every state {@code forgettable} says
   * is as good as absent.
   */
  public void update(String address, UnaryOperator<V> update, Predicate<V> forgettable) {
    byClient.compute(ClientKeys.of(address), (k, old) -> update.apply(old));
    if (byClient.size() > sweepAt) {
      byClient.values().removeIf(forgettable);
      sweepAt = Math.max(MIN_SWEEP, 2 * byClient.size());
    }
  }

  /** Forgets {@code address}'s client. */
  public void remove(String address) {
    byClient.remove(ClientKeys.of(address));
  }

  /** How many clients are remembered now. */
  public int size() {
    return byClient.size();
  }
}
