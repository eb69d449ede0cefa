package dev.sluice.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.queue.DeliveryState;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin JSON API against a whole running Sluice: every resource's answers, and its refusals
 * (401, 404, 400, 405, 409), with real mail moving through scripted upstreams.
 */
class AdminApiTest {
  @TempDir Path dir;
  private ScriptedSmtpServer good;
  private ScriptedSmtpServer flaky;
  private ApiSluice sluice;
  private AdminClient api;

  @BeforeEach
  void start() throws Exception {
    good = ScriptedSmtpServer.start("127.0.0.1");
    flaky = ScriptedSmtpServer.start("127.0.0.1");
  }

  private void startSluice() throws Exception {
    sluice = ApiSluice.start(dir, good, flaky);
    api = sluice.client;
  }

  @AfterEach
  void stop() {
    if (sluice != null) {
      sluice.close();
    }
    good.close();
    flaky.close();
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return json(r);
  }

  private JsonNode accepted(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return json(r);
  }

  private static void refused(HttpResponse<String> r, int status, String text) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"error\":").contains(text);
  }

  /** Submits to stuck.test, whose upstream answers 451 to the first RCPT: the message waits. */
  private SpoolEntry deferredMessage(String from, String to) throws Exception {
    assertThat(sluice.submit(from, to, "held")).startsWith("250");
    Await.until(
        "the message to " + to + " is deferred",
        () ->
            sluice.queued().stream()
                .anyMatch(
                    e ->
                        e.envelope().recipients().get(0).address().equals(to)
                            && DeliveryState.of(e.state()).attempts() == 1));
    return sluice.queued().stream()
        .filter(e -> e.envelope().recipients().get(0).address().equals(to))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void statusDescribesListenersSpoolQueueAndPolicy() throws Exception {
    startSluice();
    JsonNode s = ok(api.get("/api/v1/status"));
    assertThat(s.get("hostname").asText()).isEqualTo("relay.sluice.test");
    assertThat(s.get("version").asText()).isNotEmpty();
    assertThat(s.get("uptime_seconds").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(s.get("started_at").asText()).endsWith("Z");
    JsonNode listener = s.get("listeners").get(0);
    assertThat(listener.get("name").asText()).isEqualTo("relay");
    assertThat(listener.get("mode").asText()).isEqualTo("relay");
    assertThat(listener.get("address").asText())
        .isEqualTo("127.0.0.1:" + sluice.server.addresses().get(0).getPort());
    assertThat(s.get("spool").get("messages").asInt()).isZero();
    assertThat(s.get("spool").get("healthy").asBoolean()).isTrue();
    assertThat(s.get("spool").get("writable").asBoolean()).isTrue();
    assertThat(s.get("queue").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("waiting", "ready", "in_flight", "active");
    JsonNode policy = s.get("policy");
    assertThat(policy.get("file").isNull()).isTrue();
    assertThat(policy.get("pools").asInt()).isEqualTo(3);
    assertThat(policy.get("rules").asInt()).isEqualTo(2);
    assertThat(policy.get("overrides").asInt()).isZero();
    assertThat(policy.get("loaded_at").asText()).isNotEmpty();
  }

  @Test
  void everyTokenRouteRefusesMissingAndWrongTokens() throws Exception {
    startSluice();
    AdminClient none = api.withToken(null);
    AdminClient wrong = api.withToken(ApiSluice.TOKEN + "x");
    List<AdminRoutes.RouteInfo> routes = sluice.server.adminRoutesServed();
    assertThat(routes).hasSizeGreaterThan(10);
    for (AdminRoutes.RouteInfo r : routes) {
      String path = r.pattern().replaceAll("\\{[^}]+}", "x");
      if (r.access() == AdminRoutes.Access.PUBLIC) {
        assertThat(none.send(r.method(), path, null).statusCode()).as(path).isNotEqualTo(401);
        continue;
      }
      refused(none.send(r.method(), path, "{}"), 401, "bearer token");
      refused(wrong.send(r.method(), path, "{}"), 401, "bearer token");
    }
  }

  @Test
  void unknownPathsAndWrongMethodsAreRefused() throws Exception {
    startSluice();
    refused(api.get("/api/v1/nothing"), 404, "no such resource");
    HttpResponse<String> put = api.put("/api/v1/pools", "{}");
    refused(put, 405, "PUT is not allowed");
    assertThat(put.headers().firstValue("Allow")).hasValue("GET");
    refused(api.delete("/api/v1/status"), 405, "not allowed");
    refused(api.get("/api/v1/route"), 405, "not allowed");
    refused(api.put("/api/v1/suppressions", "{}"), 405, "not allowed");
    refused(api.get("/api/v1/members/good/test"), 405, "not allowed");
  }

  @Test
  void poolsShowMembersWithLiveStateAndNoSecrets() throws Exception {
    startSluice();
    assertThat(sluice.submit("app@app.test", "someone@example.net", "first")).startsWith("250");
    good.awaitMessages(1, Duration.ofSeconds(10));
    Await.until("the attempt is counted", () -> rateOfGood() >= 1);

    HttpResponse<String> all = api.get("/api/v1/pools");
    JsonNode pools = ok(all).get("pools");
    assertThat(pools).hasSize(3);
    JsonNode main = pools.get(0);
    assertThat(main.get("name").asText()).isEqualTo("main");
    assertThat(main.get("fallback")).isEmpty();
    assertThat(main.get("totals").get("members").asInt()).isEqualTo(1);
    assertThat(main.get("totals").get("active").asInt()).isEqualTo(1);
    assertThat(main.get("totals").get("inactive").asInt()).isZero();
    JsonNode member = main.get("members").get(0);
    assertThat(member.get("name").asText()).isEqualTo("good");
    assertThat(member.get("kind").asText()).isEqualTo("relay");
    assertThat(member.get("target").asText()).isEqualTo("127.0.0.1:" + good.address().getPort());
    assertThat(member.get("weight").asInt()).isEqualTo(1);
    assertThat(member.get("configured_weight").asInt()).isEqualTo(1);
    assertThat(member.get("effective_weight").asDouble()).isEqualTo(1.0);
    assertThat(member.get("status").asText()).isEqualTo("healthy");
    assertThat(member.get("active").asBoolean()).isTrue();
    assertThat(member.get("override").isNull()).isTrue();
    assertThat(member.get("quota")).isEmpty();
    assertThat(member.get("connections").asInt()).isZero();
    assertThat(member.get("last_error").isNull()).isTrue();
    assertThat(member.get("suspensions")).isEmpty();
    assertThat(member.get("warmup")).isEmpty();

    JsonNode spare = ok(api.get("/api/v1/pools/spare"));
    JsonNode direct = spare.get("members").get(1);
    assertThat(direct.get("kind").asText()).isEqualTo("direct");
    assertThat(direct.get("target").asText()).isEqualTo("127.0.0.1");
    assertThat(direct.get("quota").get(0).get("window").asText()).isEqualTo("hour");
    assertThat(direct.get("quota").get(0).get("limit").asLong()).isEqualTo(100);
    assertThat(direct.get("quota").get(0).get("used").asLong()).isZero();
    assertThat(direct.get("quota").get(0).get("left").asLong()).isEqualTo(100);
    assertThat(direct.get("quota").get(1).get("window").asText()).isEqualTo("day");
    assertThat(all.body() + spare).doesNotContain(ApiSluice.RELAY_PASSWORD);
    assertThat(spare.get("members").get(0).get("target").asText()).startsWith("127.0.0.1:");

    refused(api.get("/api/v1/pools/nope"), 404, "no pool named 'nope'");
  }

  private long rateOfGood() {
    try {
      return json(api.get("/api/v1/pools/main"))
          .get("members")
          .get(0)
          .get("rate_per_minute")
          .asLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failedAttemptShowsAsTheMembersLastError() throws Exception {
    flaky.answerRcpt(451, "4.7.1 come back later", 1);
    startSluice();
    deferredMessage("app@app.test", "late@stuck.test");
    JsonNode member = ok(api.get("/api/v1/pools/stuck")).get("members").get(0);
    assertThat(member.get("last_error").get("reply").asText())
        .contains("451 4.7.1 come back later");
    assertThat(member.get("last_error").get("at").asText()).endsWith("Z");
  }

  @Test
  void queuesShowReadyPathsAndRefuseActionsOnMessagesInFlight() throws Exception {
    flaky.stallAfterData(Duration.ofSeconds(30));
    startSluice();
    assertThat(sluice.submit("app@app.test", "one@stuck.test", "one")).startsWith("250");
    assertThat(sluice.submit("app@app.test", "two@stuck.test", "two")).startsWith("250");
    // flaky allows one connection: one message is in flight, the other waits on its path.
    Await.until("one batch waits on the stuck path", () -> readyOnFlaky() == 1);
    JsonNode q = ok(api.get("/api/v1/queues"));
    assertThat(q.get("summary").get("messages").asInt()).isEqualTo(2);
    assertThat(q.get("summary").get("in_flight").asInt()).isEqualTo(1);
    assertThat(q.get("summary").get("ready").asInt()).isEqualTo(1);
    assertThat(q.get("summary").get("active").asInt()).isEqualTo(2);
    JsonNode path = q.get("paths").get(0);
    assertThat(path.get("pool").asText()).isEqualTo("stuck");
    assertThat(path.get("member").asText()).isEqualTo("flaky");
    assertThat(path.get("destination").asText()).isEqualTo("default");
    assertThat(path.get("oldest").asText()).endsWith("Z");
    assertThat(path.get("drain_seconds").isNull()).as("no attempt ended yet").isTrue();

    JsonNode flakyMember = ok(api.get("/api/v1/pools/stuck")).get("members").get(0);
    assertThat(flakyMember.get("connections").asInt()).isEqualTo(1);

    JsonNode listed = ok(api.get("/api/v1/messages?recipient=one@stuck.test")).get("messages");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("state").asText()).isEqualTo("in_flight");
    String id = listed.get(0).get("id").asText();
    refused(api.post("/api/v1/messages/" + id + "/retry", null), 409, "under way");
    refused(api.post("/api/v1/messages/" + id + "/bounce", "{}"), 409, "under way");
    refused(api.delete("/api/v1/messages/" + id), 409, "under way");
  }

  @Test
  void everyMessageAFilterFindsIsRetriedNowAndCounted() throws Exception {
    flaky.answerRcpt(451, "4.7.1 greylisted", 3);
    startSluice();
    deferredMessage("app@app.test", "a@stuck.test");
    deferredMessage("app@app.test", "b@stuck.test");
    deferredMessage("other@app.test", "c@stuck.test");

    JsonNode one = accepted(api.post("/api/v1/messages/retry?sender=OTHER@app.test", null));
    assertThat(one.get("retried").asInt()).isEqualTo(1);
    assertThat(one.get("in_flight").asInt()).isZero();
    assertThat(flaky.awaitMessages(1, Duration.ofSeconds(10)).get(0).recipients())
        .containsExactly("c@stuck.test");
    Await.until("c leaves the spool", () -> sluice.queued().size() == 2);

    JsonNode rest = accepted(api.post("/api/v1/messages/retry", null));
    assertThat(rest.get("retried").asInt()).isEqualTo(2);
    flaky.awaitMessages(3, Duration.ofSeconds(10));
    Await.until("the queue is empty", () -> sluice.queued().isEmpty());
    JsonNode none = accepted(api.post("/api/v1/messages/retry?recipient=@stuck.test", null));
    assertThat(none.get("retried").asInt()).isZero();
    assertThat(none.get("in_flight").asInt()).isZero();
  }

  private int readyOnFlaky() {
    try {
      JsonNode paths = json(api.get("/api/v1/queues")).get("paths");
      return paths.isEmpty() ? 0 : paths.get(0).get("ready").asInt();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void messagesAreFoundShownAndRetriedNow() throws Exception {
    flaky.answerRcpt(451, "4.7.1 greylisted", 1);
    startSluice();
    SpoolEntry entry = deferredMessage("Sender@App.test", "late@stuck.test");
    String id = entry.id().value();

    JsonNode byRecipient = ok(api.get("/api/v1/messages?recipient=LATE@stuck.test"));
    assertThat(byRecipient.get("messages")).hasSize(1);
    JsonNode m = byRecipient.get("messages").get(0);
    assertThat(m.get("id").asText()).isEqualTo(id);
    assertThat(m.get("sender").asText()).isEqualTo("Sender@App.test");
    assertThat(m.get("recipients").get(0).asText()).isEqualTo("late@stuck.test");
    assertThat(m.get("tenant").isNull()).isTrue();
    assertThat(m.get("attempts").asInt()).isEqualTo(1);
    assertThat(m.get("state").asText()).isEqualTo("deferred");
    assertThat(m.get("next_attempt_at").asText()).endsWith("Z");
    assertThat(m.get("received_at").asText()).endsWith("Z");
    assertThat(ok(api.get("/api/v1/messages?sender=sender@app.test")).get("messages")).hasSize(1);
    assertThat(ok(api.get("/api/v1/messages?recipient=@stuck.test")).get("messages")).hasSize(1);
    assertThat(ok(api.get("/api/v1/messages?recipient=other@stuck.test")).get("messages"))
        .isEmpty();
    assertThat(ok(api.get("/api/v1/messages?limit=1")).get("messages")).hasSize(1);
    refused(api.get("/api/v1/messages?limit=0"), 400, "limit must be between");
    refused(api.get("/api/v1/messages?limit=many"), 400, "limit must be a number");

    JsonNode shown = ok(api.get("/api/v1/messages/" + id));
    assertThat(shown.get("envelope").get("sender").asText()).isEqualTo("Sender@App.test");
    assertThat(shown.get("envelope").get("recipients").get(0).get("address").asText())
        .isEqualTo("late@stuck.test");
    assertThat(shown.get("envelope").get("helo").asText()).isEqualTo("app.test");
    JsonNode decision = shown.get("decision").get(0);
    assertThat(decision.get("rule").asText()).isEqualTo("stuck");
    assertThat(decision.get("member").asText()).isEqualTo("flaky");
    assertThat(decision.get("trace")).isNotEmpty();
    JsonNode attempt = shown.get("attempts").get(0);
    assertThat(attempt.get("member").asText()).isEqualTo("flaky");
    assertThat(attempt.get("pool").asText()).isEqualTo("stuck");
    assertThat(attempt.get("recipients").get(0).get("reply").asText()).contains("greylisted");
    JsonNode rcpt = shown.get("recipients").get(0);
    assertThat(rcpt.get("address").asText()).isEqualTo("late@stuck.test");
    assertThat(rcpt.get("state").asText()).isEqualTo("deferred");
    assertThat(rcpt.get("reply").asText()).contains("451 4.7.1 greylisted");
    refused(api.get("/api/v1/messages/0000000000ZZ"), 404, "no queued message");
    refused(api.get("/api/v1/messages/not-an-id"), 400, "is not a queue id");

    HttpResponse<String> retry = api.post("/api/v1/messages/" + id + "/retry", null);
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(json(retry).get("retry").asText()).isEqualTo("scheduled");
    assertThat(flaky.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).contains("held");
    Await.until("the delivered message leaves the spool", () -> sluice.queued().isEmpty());
    refused(api.post("/api/v1/messages/" + id + "/retry", null), 404, "no queued message");
    refused(api.get("/api/v1/messages/" + id), 404, "no queued message");
  }

  @Test
  void bounceSendsTheSenderADsnAndEndsTheMessage() throws Exception {
    flaky.answerRcpt(451, "4.7.1 not now", 1000);
    startSluice();
    String id = deferredMessage("owner@app.test", "held@stuck.test").id().value();
    refused(api.post("/api/v1/messages/" + id + "/bounce", "{not json"), 400, "not valid JSON");
    refused(api.post("/api/v1/messages/" + id + "/bounce", "{\"reason\": 5}"), 400, "string");
    refused(
        api.post("/api/v1/messages/" + id + "/bounce", "{\"reason\": \"line one\\nline two\"}"),
        400,
        "'reason' must be one line");
    refused(
        api.post("/api/v1/messages/" + id + "/bounce", "{\"reason\": \"" + "x".repeat(401) + "\"}"),
        400,
        "at most 400 characters");

    HttpResponse<String> bounced =
        api.post("/api/v1/messages/" + id + "/bounce", "{\"reason\": \"customer asked\"}");
    assertThat(bounced.statusCode()).as(bounced.body()).isEqualTo(202);
    assertThat(json(bounced).get("id").asText()).isEqualTo(id);
    assertThat(sluice.queued()).noneMatch(e -> e.id().value().equals(id));
    ScriptedSmtpServer.ReceivedMessage dsn = good.awaitMessages(1, Duration.ofSeconds(10)).get(0);
    assertThat(dsn.recipients()).containsExactly("owner@app.test");
    assertThat(dsn.text())
        .contains("Bounced by operator: customer asked")
        .contains("held@stuck.test");
    refused(api.post("/api/v1/messages/" + id + "/bounce", "{}"), 404, "no queued message");
  }

  @Test
  void deleteRemovesTheMessageWithoutADsn() throws Exception {
    flaky.answerRcpt(451, "4.7.1 not now", 1000);
    startSluice();
    String id = deferredMessage("owner@app.test", "gone@stuck.test").id().value();
    HttpResponse<String> deleted = api.delete("/api/v1/messages/" + id);
    assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(sluice.queued()).isEmpty();
    refused(api.delete("/api/v1/messages/" + id), 404, "no queued message");
    refused(api.delete("/api/v1/messages/bad"), 400, "is not a queue id");
    // A DSN would have been stored before the answer: the next message through good is the first.
    assertThat(sluice.submit("app@app.test", "canary@example.net", "canary")).startsWith("250");
    List<ScriptedSmtpServer.ReceivedMessage> got = good.awaitMessages(1, Duration.ofSeconds(10));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).recipients()).containsExactly("canary@example.net");
  }

  @Test
  void suppressionsAreListedAddedAndRemovedAndRefuseRecipients() throws Exception {
    startSluice();
    HttpResponse<String> added =
        api.post("/api/v1/suppressions", "{\"address\": \"Blocked@Example.net\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(json(added).get("tenant").isNull()).isTrue();
    assertThat(json(added).get("address").asText()).isEqualTo("blocked@example.net");
    assertThat(json(added).get("reason").asText()).isEqualTo("added by operator");
    assertThat(
            api.post(
                    "/api/v1/suppressions",
                    "{\"tenant\": \"acme\", \"address\": \"x@example.net\", \"reason\": \"asked\"}")
                .statusCode())
        .isEqualTo(201);

    JsonNode all = ok(api.get("/api/v1/suppressions")).get("suppressions");
    assertThat(all).hasSize(2);
    JsonNode acme = ok(api.get("/api/v1/suppressions?tenant=acme")).get("suppressions");
    assertThat(acme).hasSize(1);
    assertThat(acme.get(0).get("reason").asText()).isEqualTo("asked");
    assertThat(acme.get(0).get("at").asText()).endsWith("Z");
    assertThat(ok(api.get("/api/v1/suppressions?tenant=-")).get("suppressions")).hasSize(1);
    assertThat(ok(api.get("/api/v1/suppressions?limit=1")).get("suppressions")).hasSize(1);
    refused(api.get("/api/v1/suppressions?limit=0"), 400, "limit");

    assertThat(sluice.submit("app@app.test", "blocked@example.net", "x")).startsWith("550");

    refused(api.post("/api/v1/suppressions", "{}"), 400, "'address' must be an email address");
    refused(api.post("/api/v1/suppressions", "{\"address\": \"no-at\"}"), 400, "email address");
    refused(api.post("/api/v1/suppressions", "[1]"), 400, "JSON object");
    refused(api.post("/api/v1/suppressions", "{\"address\":"), 400, "not valid JSON");

    assertThat(
            ok(api.delete("/api/v1/suppressions/-/blocked@example.net")).get("removed").asBoolean())
        .isTrue();
    refused(api.delete("/api/v1/suppressions/-/blocked@example.net"), 404, "is not suppressed");
    assertThat(api.delete("/api/v1/suppressions/acme/x@example.net").statusCode()).isEqualTo(200);
    assertThat(ok(api.get("/api/v1/suppressions")).get("suppressions")).isEmpty();
    assertThat(sluice.submit("app@app.test", "blocked@example.net", "y")).startsWith("250");
  }

  @Test
  void routeDryRunAnswersTheDecisionWithItsTrace() throws Exception {
    startSluice();
    JsonNode d =
        ok(
            api.post(
                "/api/v1/route",
                "{\"from\": \"a@app.test\", \"to\": \"x@stuck.test\","
                    + " \"headers\": {\"X-Message-Type\": \"bulk\"}, \"client\": \"127.0.0.1\"}"));
    assertThat(d.get("decision").asText()).isEqualTo("deliver");
    assertThat(d.get("rule").asText()).isEqualTo("stuck");
    assertThat(d.get("pool").asText()).isEqualTo("stuck");
    assertThat(d.get("member").asText()).isEqualTo("flaky");
    assertThat(d.get("to").asText()).isEqualTo("x@stuck.test");
    assertThat(d.get("trace")).isNotEmpty();
    assertThat(
            ok(api.post("/api/v1/route", "{\"from\": \"<>\", \"to\": \"y@example.net\"}"))
                .get("member")
                .asText())
        .isEqualTo("good");
    refused(api.post("/api/v1/route", "{\"from\": \"a@app.test\"}"), 400, "'to' is required");
    refused(api.post("/api/v1/route", "{\"to\": \"a@app.test\"}"), 400, "'from' is required");
    refused(api.post("/api/v1/route", "{\"from\": \"\", \"to\": \"nobody\"}"), 400, "'to' must be");
    refused(
        api.post("/api/v1/route", "{\"from\": \"\", \"to\": \"a@b.c\", \"headers\": [1]}"),
        400,
        "'headers' must be an object");
    refused(api.post("/api/v1/route", "{\"from\": 1, \"to\": \"a@b.c\"}"), 400, "must be a string");
    refused(api.post("/api/v1/route", "nonsense"), 400, "not valid JSON");
  }

  @Test
  void memberTestConnectsToTheRelayOrSaysWhatFailed() throws Exception {
    startSluice();
    JsonNode up = ok(api.post("/api/v1/members/good/test", null));
    assertThat(up.get("ok").asBoolean()).as(up.toString()).isTrue();
    assertThat(up.get("elapsed_ms").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(good.commandLines("EHLO")).isNotEmpty();
    assertThat(good.commandLines("QUIT")).isNotEmpty();

    JsonNode down = ok(api.post("/api/v1/members/nowhere/test", "{}"));
    assertThat(down.get("ok").asBoolean()).isFalse();
    assertThat(down.get("detail").asText()).isNotEmpty().doesNotContain(ApiSluice.RELAY_PASSWORD);

    refused(api.post("/api/v1/members/direct1/test", "{}"), 400, "give the domain");
    refused(api.post("/api/v1/members/nope/test", "{}"), 404, "no member named 'nope'");
    refused(api.post("/api/v1/members/good/test", "{\"domain\": 3}"), 400, "must be a string");
  }

  @Test
  void testMessageGoesThroughThatMemberOnly() throws Exception {
    startSluice();
    JsonNode sent =
        ok(
            api.post(
                "/api/v1/members/flaky/test-message",
                "{\"from\": \"ops@app.test\", \"to\": \"check@example.net\"}"));
    assertThat(sent.get("ok").asBoolean()).as(sent.toString()).isTrue();
    assertThat(sent.get("reply").asText()).startsWith("250");
    ScriptedSmtpServer.ReceivedMessage m = flaky.awaitMessages(1, Duration.ofSeconds(5)).get(0);
    assertThat(m.recipients()).containsExactly("check@example.net");
    assertThat(m.text()).contains("Subject: Sluice test message through member flaky");
    assertThat(good.messages()).isEmpty();
    assertThat(sluice.queued()).isEmpty();

    JsonNode refusedMessage =
        ok(
            api.post(
                "/api/v1/members/nowhere/test-message",
                "{\"from\": \"ops@app.test\", \"to\": \"check@example.net\"}"));
    assertThat(refusedMessage.get("ok").asBoolean()).isFalse();
    assertThat(refusedMessage.get("reply").asText()).startsWith("4");

    refused(
        api.post("/api/v1/members/good/test-message", "{\"from\": \"ops@app.test\"}"),
        400,
        "'to' must be an email address");
    refused(
        api.post(
            "/api/v1/members/good/test-message",
            "{\"from\": \"ops@app.test\", \"to\": \"a@b.c\\r\\nBcc: x@y.z\"}"),
        400,
        "'to' must be an email address");
    refused(
        api.post("/api/v1/members/nope/test-message", "{\"from\": \"a@b.c\", \"to\": \"a@b.c\"}"),
        404,
        "no member");
  }
}
