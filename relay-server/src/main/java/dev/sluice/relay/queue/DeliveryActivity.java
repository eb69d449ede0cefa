package dev.sluice.relay.queue;

import dev.sluice.relay.spool.MessageId;
import dev.sluice.routing.Decision;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.outcome.Disposition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduler has recently done, kept in memory for operators: attempts per member over the
 * last minute, connections in use, each member's last error, attempts finished per path (for drain
 * estimates), and per message its latest routing decisions and its last attempts. Bounded: the
 * newest {@value #MAX_MESSAGES} messages keep a history of at most {@value #MAX_ATTEMPTS} attempts
 * each; nothing survives a restart.
 *
 * <p>Confined to the scheduler's thread: read it through {@link Scheduler#activity}.
 */
public final class DeliveryActivity {
  static final int MAX_MESSAGES = 10_000;
  static final int MAX_ATTEMPTS = 20;

  /** The window of {@link #ratePerMinute}. */
  static final Duration RATE_WINDOW = Duration.ofMinutes(1);

  /** The window of {@link #attemptsPerSecond}, over which drain estimates average. */
  public static final Duration DRAIN_WINDOW = Duration.ofMinutes(5);

  private final Map<String, SecondCounts> attemptsByMember = new HashMap<>();
  private final Map<Batch.QueueKey, SecondCounts> attemptsByPath = new HashMap<>();
  private final Map<String, Integer> connections = new HashMap<>();
  private final Map<String, LastError> lastErrors = new HashMap<>();
  private final Map<MessageId, History> messages =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, History> eldest) {
          return size() > MAX_MESSAGES;
        }
      };

  /** A member's last failure: the path failure or the first reply that was not a success. */
  public record LastError(Instant at, String reply) {}

  /**
   * One attempt of one message through one member.
   *
   * @param pathFailure why the whole path failed, or null when it worked
   */
  public record AttemptRecord(
      Instant at,
      String pool,
      String member,
      String destination,
      String pathFailure,
      List<RecipientOutcome> outcomes) {
    public AttemptRecord {
      outcomes = List.copyOf(outcomes);
    }
  }

  /** The routing decision taken for one recipient, with the envelope it was taken for. */
  public record Routed(Envelope envelope, Decision decision) {}

  private static final class History {
    final List<AttemptRecord> attempts = new ArrayList<>();
    final Map<String, Routed> decisions = new LinkedHashMap<>();
  }

  void routed(MessageId id, Envelope envelope, Decision decision) {
    history(id).decisions.put(envelope.recipient(), new Routed(envelope, decision));
  }

  void started(String member) {
    connections.merge(member, 1, Integer::sum);
  }

  void attempted(
      MessageId id,
      String pool,
      String member,
      String destination,
      AttemptResult result,
      Instant at) {
    connections.computeIfPresent(member, (k, n) -> n == 1 ? null : n - 1);
    attemptsByMember.computeIfAbsent(member, k -> new SecondCounts(RATE_WINDOW)).add(at, 1);
    attemptsByPath
        .computeIfAbsent(
            new Batch.QueueKey(member, destination), k -> new SecondCounts(DRAIN_WINDOW))
        .add(at, 1);
    Optional<String> error =
        result
            .pathFailure()
            .or(
                () ->
                    result.outcomes().stream()
                        .filter(o -> o.disposition() != Disposition.DELIVERED)
                        .findFirst()
                        .map(RecipientOutcome::describe));
    error.ifPresent(e -> lastErrors.put(member, new LastError(at, e)));
    List<AttemptRecord> attempts = history(id).attempts;
    attempts.add(
        new AttemptRecord(
            at, pool, member, destination, result.pathFailure().orElse(null), result.outcomes()));
    if (attempts.size() > MAX_ATTEMPTS) {
      attempts.remove(0);
    }
  }

  private History history(MessageId id) {
    return messages.computeIfAbsent(id, k -> new History());
  }

  /** Attempts through {@code member} that ended in the last minute. */
  public long ratePerMinute(String member, Instant now) {
    SecondCounts c = attemptsByMember.get(member);
    return c == null ? 0 : c.total(now);
  }

  /** Connections {@code member} holds for attempts now. */
  public int connections(String member) {
    return connections.getOrDefault(member, 0);
  }

  public Optional<LastError> lastError(String member) {
    return Optional.ofNullable(lastErrors.get(member));
  }

  /**
   * Attempts that ended on a (member, destination) path per second, averaged over {@link
   * #DRAIN_WINDOW}.
   */
  public double attemptsPerSecond(String member, String destination, Instant now) {
    SecondCounts c = attemptsByPath.get(new Batch.QueueKey(member, destination));
    return c == null ? 0 : c.total(now) / (double) c.window().toSeconds();
  }

  /** The last attempts of a message, oldest first; empty when none is remembered. */
  public List<AttemptRecord> attempts(MessageId id) {
    History h = messages.get(id);
    return h == null ? List.of() : List.copyOf(h.attempts);
  }

  /** The latest routing decision of each recipient of a message; empty when none is remembered. */
  public List<Routed> decisions(MessageId id) {
    History h = messages.get(id);
    return h == null ? List.of() : List.copyOf(h.decisions.values());
  }
}
