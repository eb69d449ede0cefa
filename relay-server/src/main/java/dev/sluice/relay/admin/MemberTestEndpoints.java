package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sluice.relay.queue.Attempt;
import dev.sluice.relay.queue.RecipientOutcome;
import dev.sluice.relay.smtp.out.SmtpDelivery;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RecipientLimitPolicy;
import dev.sluice.routing.config.RouteAction;
import dev.sluice.routing.outcome.Disposition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Checks one member by hand, outside routing and traffic control (no quota, rate or connection
 * limit applies, nothing is counted):
 *
 * <ul>
 *   <li>{@code POST /api/v1/members/{member}/test}: connect, EHLO, STARTTLS and AUTH as the member
 *       is configured, then QUIT. A relay member is tested against its relay; a direct member has
 *       no host of its own, so the body names a domain ({@code {"domain": "example.com"}}) and the
 *       member's source address connects to that domain's first MX.
 *   <li>{@code POST /api/v1/members/{member}/test-message} ({@code {"from", "to"}}): a short real
 *       message through that member only, never spooled (no retry, no DSN); the receiver's reply is
 *       the answer.
 * </ul>
 */
public final class MemberTestEndpoints {
  /** The queue id of test messages: they never enter the spool, so they have none of their own. */
  private static final MessageId TEST_ID = new MessageId("0000000TEST0");

  private final Supplier<Router> router;
  private final SmtpDelivery agent;
  private final String hostname;
  private final Clock clock;

  private MemberTestEndpoints(
      Supplier<Router> router, SmtpDelivery agent, String hostname, Clock clock) {
    this.router = router;
    this.agent = agent;
    this.hostname = hostname;
    this.clock = clock;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record TestResult(boolean ok, String detail, long elapsedMs) {}

  /**
   * @param reply the receiver's reply to the message (or what failed before it)
   */
  record MessageResult(boolean ok, String detail, String reply) {}

  /**
   * @param hostname the EHLO name of members that set none, and the Message-ID domain
   */
  public static void register(
      AdminRoutes routes,
      Supplier<Router> router,
      SmtpDelivery agent,
      String hostname,
      Clock clock) {
    MemberTestEndpoints m = new MemberTestEndpoints(router, agent, hostname, clock);
    routes.post("/api/v1/members/{member}/test", m::test);
    routes.post("/api/v1/members/{member}/test-message", m::testMessage);
  }

  private MemberConfig member(AdminRequest request) {
    String name = request.param("member");
    return Optional.ofNullable(router.get().config().members().get(name))
        .orElseThrow(() -> new ApiException(404, "no member named '" + name + "'"));
  }

  private CompletableFuture<AdminResponse> test(AdminRequest request) {
    MemberConfig member = member(request);
    JsonNode body = request.json();
    String domain = MessageEndpoints.optionalText(body, "domain").strip();
    long started = System.nanoTime();
    CompletableFuture<Optional<String>> probe;
    String target;
    if (member.relay().isPresent()) {
      probe = agent.probe(member);
      target = member.pathDescription();
    } else {
      if (domain.isEmpty() || domain.indexOf('@') >= 0) {
        throw new ApiException(
            400,
            "member "
                + member.name()
                + " delivers direct to MX and has no host of its own: give the domain whose MX to"
                + " test, e.g. {\"domain\": \"example.com\"}");
      }
      probe = agent.probe(member, domain, router.get().destinationOf(domain));
      target = member.pathDescription() + " to the MX of " + domain;
    }
    return probe.thenApply(
        failure ->
            AdminResponse.ok(
                new TestResult(
                    failure.isEmpty(),
                    failure.orElse(
                        target + ": connect, EHLO, STARTTLS and AUTH as configured, QUIT"),
                    (System.nanoTime() - started) / 1_000_000)));
  }

  private CompletableFuture<AdminResponse> testMessage(AdminRequest request) {
    MemberConfig member = member(request);
    JsonNode body = request.json();
    String from = MessageEndpoints.optionalText(body, "from").strip();
    String to = MessageEndpoints.optionalText(body, "to").strip();
    for (Map.Entry<String, String> f : Map.of("from", from, "to", to).entrySet()) {
      String a = f.getValue();
      if (a.indexOf('@') <= 0
          || a.endsWith("@")
          || a.codePoints().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
        throw new ApiException(
            400, "'" + f.getKey() + "' must be an email address (local@domain), not '" + a + "'");
      }
    }
    String domain = Envelope.domainOf(to);
    boolean relay = member.relay().isPresent();
    Instant now = clock.instant();
    byte[] text = text(member, from, to, now);
    SpoolEnvelope envelope =
        SpoolEnvelope.local(from, SpoolRecipient.of(to), null, hostname, now, text.length);
    Attempt attempt =
        new Attempt(
            TEST_ID,
            envelope,
            member,
            relay ? DestinationConfig.DEFAULT : router.get().destinationOf(domain),
            relay ? Optional.empty() : Optional.of(domain),
            envelope.recipients(),
            ByteBuffer.wrap(text),
            testRoute());
    return agent
        .deliver(attempt)
        .thenApply(
            result -> {
              RecipientOutcome o = result.outcomes().get(0);
              boolean ok = o.disposition() == Disposition.DELIVERED;
              return AdminResponse.ok(
                  new MessageResult(
                      ok,
                      (ok ? "accepted" : "not accepted")
                          + " through "
                          + member.name()
                          + " ("
                          + member.pathDescription()
                          + ")"
                          + (o.host().isEmpty() ? "" : " by " + o.host()),
                      o.reply().toString()));
            });
  }

  /** A 5xx bounces at once and nothing is retried: the reply is all the operator wants. */
  private static RouteAction testRoute() {
    return new RouteAction(
        "operator-test",
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        RouteAction.DkimPolicy.OFF,
        RouteAction.HardBouncePolicy.BOUNCE,
        List.of(),
        Optional.empty(),
        true,
        RecipientLimitPolicy.WAIT);
  }

  private byte[] text(MemberConfig member, String from, String to, Instant now) {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now, clock.getZone()));
    String message =
        "From: <"
            + from
            + ">\r\n"
            + "To: <"
            + to
            + ">\r\n"
            + "Subject: Sluice test message through member "
            + member.name()
            + "\r\n"
            + "Date: "
            + date
            + "\r\n"
            + "Message-ID: <"
            + UUID.randomUUID()
            + "@"
            + hostname
            + ">\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "An operator of "
            + hostname
            + " sent this test message through member "
            + member.name()
            + " ("
            + member.pathDescription()
            + ") at "
            + now
            + ".\r\n";
    return message.getBytes(StandardCharsets.UTF_8);
  }
}
