package dev.sluice.relay.queue;

import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Headers;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RouteAction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One queued message while the scheduler works on it: its body, the attempts in flight, and how
 * each recipient has ended so far. A message has at most one job at a time; the job ends when no
 * attempt is left in flight or waiting, and its results are then written to the spool at once.
 * Confined to the scheduler's thread.
 */
final class MessageJob {
  final SpoolEntry entry;
  final DeliveryState state;
  final ByteBuffer body;
  final Headers headers;
  final List<RecipientOutcome> delivered = new ArrayList<>();
  final List<Bounce> bounced = new ArrayList<>();
  final List<RecipientOutcome> deferred = new ArrayList<>();

  /** Recipients counted against their per-recipient limit in this round. */
  final Set<String> counted = new HashSet<>();

  /** Recipients set aside without an attempt at shutdown: they keep their attempt count. */
  final List<SpoolRecipient> untried = new ArrayList<>();

  /** Paths that failed for this message in this round: {@code member} or {@code member@dest}. */
  private final Set<String> failedPaths = new HashSet<>();

  /** The text each DKIM policy sends, made once per job: signing is not free. */
  private final Map<RouteAction.DkimPolicy, BodyPreparer.Prepared> prepared =
      new EnumMap<>(RouteAction.DkimPolicy.class);

  /** Batches waiting in ready queues or in flight, plus routing steps not yet finished. */
  int open;

  /** Set once the round's results are being written: nothing may be added after that. */
  boolean finishing;

  MessageJob(SpoolEntry entry, DeliveryState state, ByteBuffer body, Headers headers) {
    this.entry = entry;
    this.state = state;
    this.body = body;
    this.headers = headers;
  }

  /** The routing view of one recipient. */
  Envelope envelope(SpoolRecipient recipient) {
    return new Envelope(
        entry.envelope().sender(),
        recipient.address(),
        headers,
        Optional.ofNullable(entry.envelope().tenant()),
        Optional.of(entry.envelope().clientAddress()).filter(a -> !a.isEmpty()));
  }

  BodyPreparer.Prepared prepared(
      RouteAction.DkimPolicy policy, Supplier<BodyPreparer.Prepared> make) {
    return prepared.computeIfAbsent(policy, p -> make.get());
  }

  void pathFailed(MemberConfig member, String destination) {
    failedPaths.add(pathKey(member, destination));
  }

  boolean hasFailed(MemberConfig member, String destination) {
    return !failedPaths.isEmpty() && failedPaths.contains(pathKey(member, destination));
  }

  /** Whether every recipient has an outcome and nothing is left to do. */
  boolean settled() {
    return open == 0;
  }

  private static String pathKey(MemberConfig member, String destination) {
    return member.relay().isPresent() ? member.name() : member.name() + "@" + destination;
  }
}
