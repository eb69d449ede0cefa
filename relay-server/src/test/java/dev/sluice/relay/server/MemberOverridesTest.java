package dev.sluice.relay.server;

import static dev.sluice.relay.server.PolicySluice.pool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.admin.Json;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators suspend, resume and reweigh members at run time; the overrides outlive a restart and a
 * reload, and show in {@code /api/v1/overrides}.
 */
class MemberOverridesTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private ScriptedSmtpServer a;
  private ScriptedSmtpServer b;
  private PolicySluice sluice;

  @AfterEach
  void stop() throws Exception {
    if (sluice != null) {
      sluice.close();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** {@code a} takes nearly everything (100 to 1) until an override says otherwise. */
  private void start() throws Exception {
    a = ScriptedSmtpServer.start("127.0.0.31");
    b = ScriptedSmtpServer.start("127.0.0.32");
    open.add(a);
    open.add(b);
    sluice = PolicySluice.start(dir, pool("a", 100, a, "b", 1, b));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private void send(int n, String prefix) throws Exception {
    for (int i = 0; i < n; i++) {
      assertThat(sluice.submit(prefix + i, "user" + i + "@example.net")).startsWith("250 ");
    }
    Await.until("the spool is empty", () -> sluice.server.spool().entries().isEmpty());
  }

  @Test
  void aSuspendedMemberGetsNoTrafficUntilResumed() throws Exception {
    start();
    HttpResponse<String> suspend =
        sluice.admin.post("/api/v1/members/a/suspend", "{\"reason\":\"IP on a blocklist\"}");

    assertThat(suspend.statusCode()).isEqualTo(200);
    JsonNode member = json(suspend);
    assertThat(member.get("name").asText()).isEqualTo("a");
    assertThat(member.get("status").asText()).isEqualTo("suspended");
    assertThat(member.get("active").asBoolean()).isFalse();
    assertThat(member.get("effective_weight").asInt()).isZero();
    assertThat(member.get("override").get("suspended").asBoolean()).isTrue();
    assertThat(member.get("override").get("by").asText()).isEqualTo("operator");
    assertThat(member.get("override").get("reason").asText()).isEqualTo("IP on a blocklist");
    assertThat(member.get("suspensions").get(0).get("by").asText()).isEqualTo("operator");
    send(5, "while-suspended-");
    assertThat(b.messages()).hasSize(5);
    assertThat(a.messages()).isEmpty();

    HttpResponse<String> resume = sluice.admin.post("/api/v1/members/a/resume", "");
    assertThat(resume.statusCode()).isEqualTo(200);
    assertThat(json(resume).get("status").asText()).isEqualTo("healthy");
    assertThat(json(resume).get("override").isNull()).isTrue();
    send(3, "resumed-");
    assertThat(a.messages()).hasSize(3);
  }

  @Test
  void aWeightOverrideChangesTheSplitAndDeletingItRestoresTheFile() throws Exception {
    start();
    HttpResponse<String> put = sluice.admin.put("/api/v1/members/b/weight", "{\"weight\":10000}");

    assertThat(put.statusCode()).isEqualTo(200);
    JsonNode member = json(put);
    assertThat(member.get("weight").asInt()).isEqualTo(10000);
    assertThat(member.get("configured_weight").asInt()).isEqualTo(1);
    assertThat(member.get("override").get("weight").asInt()).isEqualTo(10000);
    send(5, "heavy-b-");
    assertThat(b.messages()).hasSize(5);
    assertThat(a.messages()).isEmpty();

    HttpResponse<String> delete = sluice.admin.delete("/api/v1/members/b/weight");
    assertThat(delete.statusCode()).isEqualTo(200);
    assertThat(json(delete).get("weight").asInt()).isEqualTo(1);
    send(5, "file-weights-");
    assertThat(a.messages()).hasSize(5);
  }

  @Test
  void overridesOutliveARestartAndAReloadThatRemovesTheirMember() throws Exception {
    start();
    sluice.admin.post("/api/v1/members/a/suspend", "{}");
    sluice.admin.put("/api/v1/members/b/weight", "{\"weight\":7}");
    sluice.close();
    sluice = PolicySluice.start(dir, null);

    JsonNode list = json(sluice.admin.get("/api/v1/overrides")).get("overrides");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("member").asText()).isEqualTo("a");
    assertThat(list.get(0).get("suspended").asBoolean()).isTrue();
    assertThat(list.get(0).get("at").asText()).isNotEmpty();
    assertThat(list.get(1).get("weight").asInt()).isEqualTo(7);
    send(2, "after-restart-");
    assertThat(b.messages()).hasSize(2);
    assertThat(a.messages()).isEmpty();

    sluice.writeRoutes(pool("b", 1, b));
    assertThat(sluice.admin.post("/api/v1/reload", "").statusCode()).isEqualTo(200);
    list = json(sluice.admin.get("/api/v1/overrides")).get("overrides");
    assertThat(list.get(0).get("member").asText()).isEqualTo("a");
    assertThat(list.get(0).get("unknown").asBoolean()).isTrue();
    assertThat(list.get(1).get("unknown").asBoolean()).isFalse();
    assertThat(sluice.server.policy().routes().pools().get("main").members().get(0).weight())
        .isEqualTo(7);
    assertThat(Files.readString(sluice.server.policy().overrideFile()))
        .contains("\"member\":\"a\"");
  }

  @Test
  void refusesWithoutTheTokenForUnknownMembersAndForBadWeights() throws Exception {
    start();
    assertThat(sluice.admin.withToken(null).post("/api/v1/members/a/suspend", "").statusCode())
        .isEqualTo(401);
    assertThat(
            sluice
                .admin
                .withToken("wrong")
                .put("/api/v1/members/a/weight", "{\"weight\":2}")
                .statusCode())
        .isEqualTo(401);
    assertThat(sluice.admin.withToken(null).post("/api/v1/reload", "").statusCode()).isEqualTo(401);
    assertThat(sluice.admin.withToken(null).get("/api/v1/overrides").statusCode()).isEqualTo(401);

    HttpResponse<String> unknown = sluice.admin.post("/api/v1/members/nobody/suspend", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).contains("nobody");
    assertThat(sluice.admin.delete("/api/v1/members/nobody/weight").statusCode()).isEqualTo(404);

    for (String body :
        List.of(
            "{\"weight\":0}", "{\"weight\":\"9\"}", "{\"weight\":1.5}", "{}", "[1]", "{weight")) {
      HttpResponse<String> bad = sluice.admin.put("/api/v1/members/a/weight", body);
      assertThat(bad.statusCode()).as(body).isEqualTo(400);
      assertThat(json(bad).get("error").asText()).as(body).isNotEmpty();
    }
    assertThat(sluice.admin.post("/api/v1/members/a/suspend", "{\"reason\":42}").statusCode())
        .isEqualTo(400);
    assertThat(json(sluice.admin.get("/api/v1/overrides")).get("overrides")).isEmpty();
    assertThat(Files.exists(sluice.server.policy().overrideFile())).isFalse();
  }
}
