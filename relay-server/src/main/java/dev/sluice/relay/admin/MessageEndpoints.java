package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sluice.relay.cli.DecisionJson;
import dev.sluice.relay.queue.DeliveryActivity;
import dev.sluice.relay.queue.DeliveryState;
import dev.sluice.relay.queue.MessageActions;
import dev.sluice.relay.queue.RecipientOutcome;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolRecipient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Queued messages: find ({@code GET /api/v1/messages?recipient=&sender=&limit=}), show ({@code GET
 * /api/v1/messages/{id}}), retry now, bounce and delete; retry now every message a filter finds
 * ({@code POST /api/v1/messages/retry?recipient=&sender=}). Finding scans the spool's index
 * (envelopes only, no body is read). Retry, bounce and delete act on a message waiting for its next
 * attempt; while a round of attempts is under way on it they answer 409, and the operator asks
 * again once it ends (a retry of many counts such messages instead). The decision traces and
 * attempt history are what this node remembers (see {@link DeliveryActivity}): empty after a
 * restart.
 */
public final class MessageEndpoints {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /**
   * A bounce reason goes into the one line of the bounce reply, which RFC 5321 §4.5.3.1.5 caps at
   * 512 octets with its code and the text before it.
   */
  static final int MAX_BOUNCE_REASON = 400;

  private final Spool spool;
  private final Scheduler scheduler;
  private final MessageActions actions;

  private MessageEndpoints(Spool spool, Scheduler scheduler, MessageActions actions) {
    this.spool = spool;
    this.scheduler = scheduler;
    this.actions = actions;
  }

  /**
   * One message in a list.
   *
   * @param state {@code queued} (never tried), {@code deferred} (waiting for its next attempt) or
   *     {@code in_flight} (a round of attempts is under way)
   * @param attempts rounds of attempts that failed so far
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Summary(
      String id,
      String sender,
      List<String> recipients,
      String tenant,
      Instant receivedAt,
      Instant nextAttemptAt,
      int attempts,
      String state) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Envelope(
      String sender,
      List<Recipient> recipients,
      String tenant,
      String clientAddress,
      String helo,
      String tls,
      String authUser,
      String envid,
      String ret,
      Instant receivedAt,
      long size,
      Map<String, String> routingHeaders) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Recipient(String address, String dsnNotify, String orcpt) {}

  /**
   * @param pathFailure why the whole path failed, or null
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Attempt(
      Instant at,
      String pool,
      String member,
      String destination,
      String pathFailure,
      List<Outcome> recipients) {}

  /**
   * @param disposition delivered, bounce, defer, next_host or split
   * @param host the host that replied, or null
   */
  record Outcome(String address, String disposition, String reply, String host) {}

  /**
   * @param state queued, deferred or in_flight while in the queue; delivered or bounced for a
   *     recipient this node saw end in an earlier round
   * @param reply the last reply for it, or null
   */
  record RecipientState(String address, String state, String reply) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Detail(
      String id,
      String state,
      int attemptsCount,
      Instant nextAttemptAt,
      String lastError,
      Envelope envelope,
      List<Map<String, Object>> decision,
      List<Attempt> attempts,
      List<RecipientState> recipients) {}

  public static void register(
      AdminRoutes routes, Spool spool, Scheduler scheduler, MessageActions actions) {
    MessageEndpoints m = new MessageEndpoints(spool, scheduler, actions);
    routes.get("/api/v1/messages", m::list);
    routes.get("/api/v1/messages/{id}", m::show);
    routes.post("/api/v1/messages/retry", m::retryAll);
    routes.post("/api/v1/messages/{id}/retry", m::retry);
    routes.post("/api/v1/messages/{id}/bounce", m::bounce);
    routes.delete("/api/v1/messages/{id}", m::delete);
  }

  private CompletableFuture<AdminResponse> list(AdminRequest request) {
    int limit = request.intParam("limit", DEFAULT_LIMIT, MAX_LIMIT);
    Predicate<SpoolEntry> selected = filter(request);
    List<SpoolEntry> found = new ArrayList<>();
    for (SpoolEntry e : spool.entries()) {
      if (selected.test(e)) {
        found.add(e);
      }
    }
    found.sort(Comparator.comparing(SpoolEntry::id));
    List<SpoolEntry> page = found.subList(0, Math.min(limit, found.size()));
    return scheduler
        .activeIds()
        .thenApply(
            active -> {
              List<Summary> out = new ArrayList<>();
              for (SpoolEntry e : page) {
                DeliveryState s = DeliveryState.of(e.state());
                out.add(
                    new Summary(
                        e.id().value(),
                        e.envelope().sender(),
                        e.envelope().recipients().stream().map(SpoolRecipient::address).toList(),
                        e.envelope().tenant(),
                        e.envelope().receivedAt(),
                        s.nextAttempt(),
                        s.attempts(),
                        state(e, s, active)));
              }
              return AdminResponse.ok(Map.of("messages", out));
            });
  }

  private CompletableFuture<AdminResponse> show(AdminRequest request) {
    MessageId id = id(request);
    SpoolEntry entry =
        spool.entries().stream()
            .filter(e -> e.id().equals(id))
            .findFirst()
            .orElseThrow(() -> notQueued(id));
    DeliveryState s = DeliveryState.of(entry.state());
    CompletableFuture<Set<MessageId>> active = scheduler.activeIds();
    CompletableFuture<History> history =
        scheduler.activity(a -> new History(a.attempts(id), a.decisions(id)));
    return active.thenCombine(
        history, (ids, h) -> AdminResponse.ok(detail(entry, s, state(entry, s, ids), h)));
  }

  private record History(
      List<DeliveryActivity.AttemptRecord> attempts, List<DeliveryActivity.Routed> decisions) {}

  private static Detail detail(SpoolEntry e, DeliveryState s, String state, History h) {
    SpoolEnvelope env = e.envelope();
    List<Recipient> recipients = new ArrayList<>();
    for (SpoolRecipient r : env.recipients()) {
      recipients.add(new Recipient(r.address(), r.dsnNotify(), r.orcpt()));
    }
    List<Attempt> attempts = new ArrayList<>();
    Map<String, RecipientOutcome> lastOutcome = new LinkedHashMap<>();
    for (DeliveryActivity.AttemptRecord a : h.attempts()) {
      List<Outcome> outcomes = new ArrayList<>();
      for (RecipientOutcome o : a.outcomes()) {
        outcomes.add(
            new Outcome(
                o.recipient().address(),
                o.disposition().name().toLowerCase(Locale.ROOT),
                o.reply().toString(),
                o.host().isEmpty() ? null : o.host()));
        lastOutcome.put(o.recipient().address(), o);
      }
      attempts.add(
          new Attempt(a.at(), a.pool(), a.member(), a.destination(), a.pathFailure(), outcomes));
    }
    List<RecipientState> states = new ArrayList<>();
    Set<String> queued = new HashSet<>();
    for (SpoolRecipient r : env.recipients()) {
      queued.add(r.address());
      RecipientOutcome last = lastOutcome.get(r.address());
      states.add(
          new RecipientState(
              r.address(),
              state,
              last != null ? last.describe() : s.attempts() > 0 ? s.lastError() : null));
    }
    // Recipients that left the envelope in an earlier round this node remembers.
    lastOutcome.forEach(
        (address, o) -> {
          if (!queued.contains(address)) {
            states.add(
                new RecipientState(
                    address,
                    o.disposition() == dev.sluice.routing.outcome.Disposition.DELIVERED
                        ? "delivered"
                        : "bounced",
                    o.describe()));
          }
        });
    List<Map<String, Object>> decisions =
        h.decisions().isEmpty()
            ? null
            : h.decisions().stream().map(d -> DecisionJson.of(d.envelope(), d.decision())).toList();
    return new Detail(
        e.id().value(),
        state,
        s.attempts(),
        s.nextAttempt(),
        s.lastError(),
        new Envelope(
            env.sender(),
            recipients,
            env.tenant(),
            env.clientAddress(),
            env.helo(),
            env.tls(),
            env.authUser(),
            env.envid(),
            env.ret(),
            env.receivedAt(),
            env.size(),
            env.routingHeaders()),
        decisions,
        attempts,
        states);
  }

  private CompletableFuture<AdminResponse> retry(AdminRequest request) {
    MessageId id = id(request);
    return actions
        .retry(id)
        .thenApply(
            r -> answer(id, r, 202, Map.of("id", id.value(), "retry", "scheduled"), "retry"));
  }

  private CompletableFuture<AdminResponse> retryAll(AdminRequest request) {
    Optional<String> recipient = request.queryParam("recipient");
    Optional<String> sender = request.queryParam("sender");
    String described =
        recipient.isEmpty() && sender.isEmpty()
            ? "every queued message"
            : "the messages"
                + recipient.map(r -> " to " + r).orElse("")
                + sender.map(f -> " from " + f).orElse("");
    return actions
        .retryAll(filter(request), described)
        .thenApply(
            f ->
                AdminResponse.json(202, Map.of("retried", f.retried(), "in_flight", f.inFlight())));
  }

  /** The {@code recipient} and {@code sender} filters of a request; none selects everything. */
  private static Predicate<SpoolEntry> filter(AdminRequest request) {
    Optional<String> recipient = request.queryParam("recipient").map(MessageEndpoints::lower);
    Optional<String> sender = request.queryParam("sender").map(MessageEndpoints::lower);
    return e ->
        (recipient.isEmpty()
                || e.envelope().recipients().stream()
                    .anyMatch(r -> matches(r.address(), recipient.get())))
            && (sender.isEmpty() || matches(e.envelope().sender(), sender.get()));
  }

  private CompletableFuture<AdminResponse> bounce(AdminRequest request) {
    MessageId id = id(request);
    String reason = bounceReason(request.json());
    return actions
        .bounce(id, reason)
        .thenApply(r -> answer(id, r, 202, Map.of("id", id.value(), "bounced", true), "bounce"));
  }

  private CompletableFuture<AdminResponse> delete(AdminRequest request) {
    MessageId id = id(request);
    return actions
        .delete(id)
        .thenApply(r -> answer(id, r, 200, Map.of("id", id.value(), "deleted", true), "delete"));
  }

  private static AdminResponse answer(
      MessageId id, MessageActions.Result r, int status, Object done, String action) {
    switch (r) {
      case DONE:
        return AdminResponse.json(status, done);
      case BUSY:
        throw new ApiException(
            409,
            "message "
                + id.value()
                + " has a round of attempts under way; "
                + action
                + " it once the round ends");
      default:
        throw notQueued(id);
    }
  }

  private static String bounceReason(JsonNode body) {
    String reason = optionalText(body, "reason");
    if (reason.length() > MAX_BOUNCE_REASON || reason.chars().anyMatch(Character::isISOControl)) {
      throw new ApiException(
          400,
          "'reason' must be one line of at most "
              + MAX_BOUNCE_REASON
              + " characters, without control characters");
    }
    return reason;
  }

  static String optionalText(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw new ApiException(400, "'" + field + "' must be a string");
    }
    return n.asText();
  }

  private static ApiException notQueued(MessageId id) {
    return new ApiException(404, "no queued message " + id.value());
  }

  private static MessageId id(AdminRequest request) {
    String raw = request.param("id");
    if (!MessageId.isValid(raw)) {
      throw new ApiException(
          400, "'" + raw + "' is not a queue id (12 characters, e.g. 0G5RM2K9T4XZ)");
    }
    return new MessageId(raw);
  }

  private static String state(SpoolEntry e, DeliveryState s, Set<MessageId> active) {
    if (active.contains(e.id())) {
      return "in_flight";
    }
    return s.attempts() > 0 ? "deferred" : "queued";
  }

  /** An address matches the filter exactly, or by domain when the filter is {@code @domain}. */
  private static boolean matches(String address, String filter) {
    String a = lower(address);
    return filter.startsWith("@") ? a.endsWith(filter) : a.equals(filter);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
