package dev.sluice.relay.traffic;

import dev.sluice.relay.config.ClusterConfig;
import dev.sluice.routing.traffic.Admission;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.TrafficStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@link TrafficStore} several nodes share, in Redis. Every operation is one Lua script run
 * atomically by Redis ({@code EVALSHA}, loaded again after {@code NOSCRIPT}), so an admission is
 * never a read-modify-write race between nodes; the bucket arithmetic of {@code admit.lua} is that
 * of the routing engine's {@code TokenBuckets}, operation for operation.
 *
 * <p>Keys are the namespace ({@code sluice:} by default), then {@code c:} for counters and quotas,
 * {@code v:} for shared values and {@code b:} for buckets, then the caller's key. Expiry is judged
 * by the time the caller passes in; every key also gets a {@code PEXPIRE} of the time left until
 * that expiry (a bucket's: until it is full again), so that Redis never fills with stale keys. The
 * time left, not the instant: Redis would judge an instant by its own clock, and drop the keys of a
 * node whose clock is behind it too early (a bucket dropped is full: no limit).
 *
 * <p>Thread-safe: one connection carries every thread's commands. The connection is opened on first
 * use and again after a failure, never in the background. A command or connection that takes longer
 * than the configured timeout, or fails, throws {@link TrafficStoreUnavailableException}. {@link
 * #count} and {@link #get} answer from a local cache for the configured time, since the scheduler
 * asks them on its decision path; this node's own changes clear it.
 */
public final class RedisTrafficStore implements TrafficStore {
  private static final LuaScript ADMIT = LuaScript.load("admit");
  private static final LuaScript REFUND = LuaScript.load("refund");
  private static final LuaScript COUNT = LuaScript.load("count");
  private static final LuaScript ADD = LuaScript.load("add");
  private static final LuaScript GET = LuaScript.load("get");
  private static final LuaScript PUT = LuaScript.load("put");
  private static final LuaScript PUT_IF_ABSENT = LuaScript.load("put_if_absent");
  private static final LuaScript VALUES = LuaScript.load("values");
  private static final int SCAN_PAGE = 500;

  private final RedisURI uri;
  private final RedisClient client;
  private final String namespace;
  private final ReadCache<Long> counts;
  private final ReadCache<Optional<String>> values;
  private StatefulRedisConnection<String, String> connection; // guarded by this

  /** Connects to {@code config.redis()} on first use. */
  public RedisTrafficStore(ClusterConfig config) {
    this.uri = RedisURI.create(config.redis());
    uri.setTimeout(config.timeout());
    this.namespace = config.keyPrefix();
    this.counts = new ReadCache<>(config.countCache().toMillis());
    this.values = new ReadCache<>(config.countCache().toMillis());
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(config.timeout()).build())
            .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
            .build());
  }

  /** Where Redis is, {@code host:port/db}, without the password. */
  public String address() {
    return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
  }

  @Override
  public Admission admit(List<Charge> charges, Instant now) {
    if (charges.isEmpty()) {
      return Admission.admitted(now);
    }
    String[] keys = new String[charges.size()];
    List<String> args = new ArrayList<>();
    args.add(millis(now));
    for (int i = 0; i < keys.length; i++) {
      Charge charge = charges.get(i);
      if (charge instanceof Charge.Quota q) {
        keys[i] = counterKey(q.key());
        args.addAll(List.of("q", num(q.amount()), num(q.cap()), millis(q.resetsAt()), "0"));
        counts.forget(q.key());
      } else if (charge instanceof Charge.Bucket b) {
        keys[i] = bucketKey(b.key());
        // The period as TokenBuckets.periodMillis takes it: whole milliseconds, at least 1.
        long period = Math.max(1, b.rate().period().toMillis());
        args.addAll(
            List.of("b", num(b.amount()), num(b.rate().count()), num(period), num(b.burst())));
      }
    }
    List<Object> answer = eval(ADMIT, ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
    if ((Long) answer.get(0) == 0) {
      return Admission.admitted(now);
    }
    int refused = ((Long) answer.get(1)).intValue() - 1;
    return Admission.refused(charges.get(refused), Instant.ofEpochMilli((Long) answer.get(2)));
  }

  @Override
  public void refund(List<Charge.Quota> charges, Instant now) {
    if (charges.isEmpty()) {
      return;
    }
    String[] keys = new String[charges.size()];
    String[] args = new String[charges.size() + 1];
    args[0] = millis(now);
    for (int i = 0; i < keys.length; i++) {
      keys[i] = counterKey(charges.get(i).key());
      args[i + 1] = num(charges.get(i).amount());
      counts.forget(charges.get(i).key());
    }
    eval(REFUND, ScriptOutputType.INTEGER, keys, args);
  }

  @Override
  public long count(String key, Instant now) {
    long t = now.toEpochMilli();
    return counts.get(
        key,
        t,
        () -> eval(COUNT, ScriptOutputType.INTEGER, new String[] {counterKey(key)}, num(t)));
  }

  @Override
  public long add(String key, long delta, Instant expiresAt, Instant now) {
    counts.forget(key);
    return eval(
        ADD,
        ScriptOutputType.INTEGER,
        new String[] {counterKey(key)},
        num(delta),
        millis(expiresAt),
        millis(now));
  }

  @Override
  public Optional<String> get(String key, Instant now) {
    return values.get(
        key,
        now.toEpochMilli(),
        () ->
            Optional.ofNullable(
                eval(GET, ScriptOutputType.VALUE, new String[] {valueKey(key)}, millis(now))));
  }

  @Override
  public void put(String key, String value, Instant expiresAt, Instant now) {
    values.forget(key);
    eval(
        PUT,
        ScriptOutputType.INTEGER,
        new String[] {valueKey(key)},
        value,
        millis(expiresAt),
        millis(now));
  }

  @Override
  public String putIfAbsent(String key, String value, Instant expiresAt, Instant now) {
    values.forget(key);
    return eval(
        PUT_IF_ABSENT,
        ScriptOutputType.VALUE,
        new String[] {valueKey(key)},
        value,
        millis(expiresAt),
        millis(now));
  }

  @Override
  public void remove(String key) {
    counts.forget(key);
    values.forget(key);
    call(redis -> redis.del(counterKey(key), valueKey(key), bucketKey(key)));
  }

  @Override
  public Map<String, String> values(String prefix, Instant now) {
    String keyPrefix = valueKey("");
    ScanArgs match = ScanArgs.Builder.matches(glob(keyPrefix + prefix) + "*").limit(SCAN_PAGE);
    Map<String, String> out = new TreeMap<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor from = cursor;
      KeyScanCursor<String> page = call(redis -> redis.scan(from, match));
      if (!page.getKeys().isEmpty()) {
        List<Object> pairs =
            eval(
                VALUES, ScriptOutputType.MULTI, page.getKeys().toArray(String[]::new), millis(now));
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
          out.put(((String) pairs.get(i)).substring(keyPrefix.length()), (String) pairs.get(i + 1));
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return Collections.unmodifiableMap(out);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    return call(
        redis -> {
          try {
            return redis.evalsha(script.sha1(), type, keys, args);
          } catch (RedisNoScriptException e) {
            // A restarted or flushed Redis has forgotten the script: load it and run it again.
            redis.scriptLoad(script.text());
            return redis.evalsha(script.sha1(), type, keys, args);
          }
        });
  }

  private <T> T call(Function<RedisCommands<String, String>, T> command) {
    StatefulRedisConnection<String, String> used = null;
    try {
      used = connection();
      return command.apply(used.sync());
    } catch (RedisCommandExecutionException e) {
      throw new TrafficStoreUnavailableException(
          "redis at " + address() + " answered an error: " + e.getMessage(), e);
    } catch (RedisException e) {
      drop(used);
      throw new TrafficStoreUnavailableException(
          "redis at " + address() + " failed: " + reason(e), e);
    }
  }

  private synchronized StatefulRedisConnection<String, String> connection() {
    if (connection == null || !connection.isOpen()) {
      drop(connection);
      connection = client.connect(StringCodec.UTF8, uri);
    }
    return connection;
  }

  /** Closes a connection that failed, so that the next call opens a new one. */
  private synchronized void drop(StatefulRedisConnection<String, String> failed) {
    if (failed != null) {
      failed.closeAsync();
      if (connection == failed) {
        connection = null;
      }
    }
  }

  /** Lettuce's message, with the root cause's when it says more. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ClosedChannelException) {
      return "the connection was closed";
    }
    if (root == e || root.getMessage() == null || e.getMessage().contains(root.getMessage())) {
      return e.getMessage();
    }
    return e.getMessage() + " (" + root.getMessage() + ")";
  }

  private String counterKey(String key) {
    return namespace + "c:" + key;
  }

  private String valueKey(String key) {
    return namespace + "v:" + key;
  }

  private String bucketKey(String key) {
    return namespace + "b:" + key;
  }

  /** A key prefix as a SCAN pattern that matches it literally. */
  private static String glob(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (char c : literal.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String millis(Instant instant) {
    return Long.toString(instant.toEpochMilli());
  }

  private static String num(long n) {
    return Long.toString(n);
  }
}
