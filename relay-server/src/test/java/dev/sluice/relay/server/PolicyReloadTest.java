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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes.yaml is reloaded through the API, on a change of the file and on SIGHUP: a valid file
 * routes the next attempts, including those of messages queued before; an invalid one is refused
 * with its errors and the running policy stays.
 */
class PolicyReloadTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ScriptedSmtpServer relay(String address) {
    ScriptedSmtpServer s = ScriptedSmtpServer.start(address);
    open.add(s);
    return s;
  }

  private PolicySluice start(String routes) throws Exception {
    PolicySluice s = PolicySluice.start(dir, routes);
    open.add(s);
    return s;
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void aBrokenFileIsRefusedWithItsErrorsAndTheOldPolicyKeepsRouting() throws Exception {
    ScriptedSmtpServer a = relay("127.0.0.21");
    PolicySluice sluice = start(pool("a", 1, a));
    String before = Files.readString(dir.resolve("routes.yaml"));

    sluice.writeRoutes(before.replace("pool: main", "pool: mian"));
    HttpResponse<String> reload = sluice.admin.post("/api/v1/reload", "");

    assertThat(reload.statusCode()).isEqualTo(422);
    JsonNode body = json(reload);
    assertThat(body.get("error").asText()).contains("routes.yaml is invalid");
    assertThat(body.get("errors")).isNotEmpty();
    assertThat(body.get("errors").get(0).asText())
        .matches(".*routes\\.yaml:\\d+:\\d+: .*")
        .contains("mian");
    assertThat(sluice.server.policy().current().configured().rules().get(0).route().pool())
        .isEqualTo("main");
    assertThat(sluice.submit("still-routed", "user@example.net")).startsWith("250 ");
    assertThat(a.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
  }

  @Test
  void aValidReloadRoutesTheNextAttemptOfAMessageQueuedBeforeIt() throws Exception {
    ScriptedSmtpServer a = relay("127.0.0.22").answerRcpt(451, "4.3.0 Try later", 1_000_000);
    ScriptedSmtpServer b = relay("127.0.0.23");
    PolicySluice sluice = start(pool("a", 1, a));
    assertThat(sluice.submit("queued-before", "user@example.net")).startsWith("250 ");
    Await.until("a refused the first attempt", () -> !a.commandLines("RCPT").isEmpty());
    assertThat(sluice.server.spool().entries()).hasSize(1);

    sluice.writeRoutes(pool("b", 1, b));
    HttpResponse<String> reload = sluice.admin.post("/api/v1/reload", "");

    assertThat(reload.statusCode()).isEqualTo(200);
    JsonNode body = json(reload);
    assertThat(body.get("reloaded").asBoolean()).isTrue();
    assertThat(body.get("file").asText()).endsWith("routes.yaml");
    assertThat(body.get("pools").asInt()).isEqualTo(1);
    assertThat(body.get("rules").asInt()).isEqualTo(1);
    assertThat(body.get("loaded_at").asText()).isNotEmpty();
    assertThat(b.awaitMessages(1, Duration.ofSeconds(20)).get(0).text())
        .contains("Subject: queued-before");
    Await.until("the spool is empty", () -> sluice.server.spool().entries().isEmpty());
    assertThat(a.messages()).isEmpty();
  }

  @Test
  void aFileRenamedOverRoutesYamlIsReloadedByItself() throws Exception {
    ScriptedSmtpServer a = relay("127.0.0.24");
    ScriptedSmtpServer b = relay("127.0.0.25");
    PolicySluice sluice = start(pool("a", 1, a));

    sluice.writeRoutes(pool("b", 1, b));

    Await.until(
        "the watcher reloaded routes.yaml", () -> sluice.server.policy().current().hasMember("b"));
    assertThat(sluice.submit("after-edit", "user@example.net")).startsWith("250 ");
    assertThat(b.awaitMessages(1, Duration.ofSeconds(20))).hasSize(1);
    assertThat(a.messages()).isEmpty();
  }

  @Test
  void sighupReloadsTheDaemonAndABrokenFileLeavesItRunning() throws Exception {
    ScriptedSmtpServer a = relay("127.0.0.26");
    ScriptedSmtpServer b = relay("127.0.0.27");
    Files.writeString(dir.resolve("routes.yaml"), pool("a", 1, a));
    Files.writeString(dir.resolve("sluice.yaml"), PolicySluice.sluiceYaml());
    SluiceProcess process = SluiceProcess.start(dir.resolve("sluice.yaml"), dir);
    try {
      // Written in place, not renamed, and with the watcher's help or not: SIGHUP must reload it.
      Files.writeString(dir.resolve("routes.yaml"), "pools: [ not a map ]\n");
      process.hangUp();
      Await.until("the broken file is refused", () -> process.tail().contains("is invalid"));
      Files.writeString(dir.resolve("routes.yaml"), pool("b", 1, b));
      process.hangUp();
      Await.until(
          "SIGHUP reloaded the valid file",
          () ->
              process.tail().contains("reload (SIGHUP)") && process.tail().contains("is in force"));
      assertThat(process.exitedWithin(Duration.ZERO)).isFalse();
    } finally {
      process.stop();
    }
  }
}
