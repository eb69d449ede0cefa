package dev.sluice.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.admin.Json;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.routing.testing.Policies;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations commands against one running Sluice: pool {@code main} relays through {@code good}
 * (an upstream that accepts everything); mail for {@code held.test} goes to pool {@code held},
 * whose member {@code nowhere} is a dead port, so it waits in the queue (first retry after ten
 * minutes).
 */
class AdminCommandsTest {
  private static final String TOKEN = "cli-test-token-0123456789";

  @TempDir static Path dir;
  private static ScriptedSmtpServer good;
  private static SluiceServer server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    good = ScriptedSmtpServer.start("127.0.0.1");
    Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    String yaml =
        """
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0", token_file: admin.token }
        delivery: { retry: [ 10m ], shutdown_grace: 1s }
        """
            .formatted(Ports.free());
    String routes =
        """
        pools:
          main: { members: [ { name: good, relay: { host: 127.0.0.1, port: %d, tls: none } } ] }
          held: { members: [ { name: nowhere, relay: { host: 127.0.0.1, port: %d, tls: none } } ] }
        rules:
          - { name: held, match: { recipient_domain: held.test }, route: { pool: held } }
          - { name: default, route: { pool: main } }
        """
            .formatted(good.address().getPort(), Ports.refusing());
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dir);
    server = SluiceServer.start(config, Policies.parse(routes), dir, Clock.systemUTC());
    url = "http://127.0.0.1:" + server.adminAddress().getPort();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    good.close();
  }

  /** Runs {@code sluice args…} against the test's daemon. */
  private static CliRunner sluice(String... args) {
    String[] admin = {"--url", url, "--token-file", dir.resolve("admin.token").toString()};
    return CliRunner.run(Stream.concat(Stream.of(args), Stream.of(admin)).toArray(String[]::new));
  }

  private static CliRunner ok(String... args) {
    CliRunner r = sluice(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private static JsonNode json(String... args) throws IOException {
    String[] withJson = Stream.concat(Stream.of(args), Stream.of("--json")).toArray(String[]::new);
    return Json.MAPPER.readTree(ok(withJson).out());
  }

  /** The line of {@code pool list} for pool {@code main}'s member {@code good}. */
  private static String goodRow() {
    return ok("pool", "list")
        .out()
        .lines()
        .filter(l -> l.startsWith("main "))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void statusAndPoolsPrintTablesAndTheirJson() throws Exception {
    assertThat(ok("status").out())
        .contains("spool: 0 messages, healthy, writable")
        .containsPattern("relay +relay +127\\.0\\.0\\.1:\\d+");

    String list = ok("pool", "list").out();
    assertThat(list.lines().findFirst().orElseThrow())
        .startsWith("POOL  MEMBER ")
        .contains("STATUS", "WEIGHT/EFF", "LAST ERROR");
    assertThat(list).containsPattern("main +good +healthy +1/1 ").contains("held  nowhere");
    JsonNode pools = json("pool", "list").get("pools");
    assertThat(pools).extracting(p -> p.get("name").asText()).containsExactly("main", "held");
    assertThat(json("status").get("policy").get("pools").asInt()).isEqualTo(2);

    assertThat(ok("pool", "show", "held").out()).startsWith("pool held: 1 members");
    CliRunner unknown = sluice("pool", "show", "nope");
    assertThat(unknown.exitCode()).isEqualTo(ApiCommand.NOT_FOUND);
    assertThat(unknown.err()).contains("sluice pool show: ").contains("nope");
  }

  @Test
  void suspendResumeAndWeightOverridesShowInTheList() throws Exception {
    assertThat(ok("pool", "suspend", "good", "--reason", "on a blocklist").out())
        .containsPattern("good +suspended +1/0 ");
    assertThat(goodRow()).contains("suspended");
    assertThat(json("pool", "resume", "good").get("status").asText()).isEqualTo("healthy");
    assertThat(goodRow()).contains("healthy");

    ok("pool", "weight", "good", "7");
    assertThat(goodRow()).containsPattern("good +healthy +7/7 ");
    assertThat(json("pool", "weight", "good", "--clear").get("weight").asInt()).isEqualTo(1);

    assertThat(sluice("pool", "weight", "good", "0").exitCode()).isEqualTo(ApiCommand.FAILED);
    assertThat(sluice("pool", "weight", "good").exitCode()).isEqualTo(2);
    assertThat(sluice("pool", "suspend", "nobody").exitCode()).isEqualTo(ApiCommand.NOT_FOUND);
  }

  @Test
  void aHeldMessageIsListedShownRetriedFlushedAndDeleted() throws Exception {
    submit("app@example.com", "user+tag@held.test");
    Await.until(
        "the message waits for its retry", () -> state("user+tag@held.test").equals("deferred 1"));
    String id =
        json("queue", "list", "--recipient", "user+tag@held.test")
            .get("messages")
            .get(0)
            .get("id")
            .asText();

    assertThat(ok("queue", "list", "--sender", "@example.com", "--limit", "5").out())
        .containsPattern(id + " +deferred +1 ")
        .contains("user+tag@held.test");
    assertThat(ok("queue", "summary").out()).contains("1 messages");
    assertThat(ok("queue", "show", id).out())
        .contains("message " + id + ": deferred", "from app@example.com")
        .containsPattern("user\\+tag@held\\.test +deferred");

    assertThat(ok("queue", "retry", id).out()).isEqualTo("retry of " + id + " scheduled\n");
    Await.until("the retried round ends", () -> state("user+tag@held.test").equals("deferred 2"));
    assertThat(ok("queue", "flush", "--sender", "@nowhere.example").out())
        .isEqualTo("0 messages retried now, 0 already in flight\n");
    assertThat(ok("queue", "flush", "--recipient", "@held.test").out())
        .isEqualTo("1 messages retried now, 0 already in flight\n");
    Await.until("the flushed round ends", () -> state("user+tag@held.test").equals("deferred 3"));
    assertThat(json("queue", "delete", id).get("deleted").asBoolean()).isTrue();

    CliRunner gone = sluice("queue", "show", id);
    assertThat(gone.exitCode()).isEqualTo(ApiCommand.NOT_FOUND);
    assertThat(gone.err()).startsWith("sluice queue show: ");
    assertThat(sluice("queue", "bounce", id, "--reason", "x").exitCode())
        .isEqualTo(ApiCommand.NOT_FOUND);
  }

  @Test
  void suppressionsAreAddedListedAndRemovedPerTenant() throws Exception {
    ok("suppress", "add", "Bob+x@example.net", "--tenant", "acme", "--reason", "asked to stop");
    assertThat(ok("suppress", "add", "eve@example.net").out())
        .isEqualTo("suppressed eve@example.net for mail without a tenant\n");

    assertThat(ok("suppress", "list").out())
        .containsPattern("acme +bob\\+x@example\\.net .* asked to stop")
        .containsPattern("- +eve@example\\.net ");
    JsonNode acme = json("suppress", "list", "--tenant", "acme", "--limit", "10");
    assertThat(acme.get("suppressions")).hasSize(1);

    ok("suppress", "remove", "bob+x@example.net", "--tenant", "acme");
    assertThat(sluice("suppress", "remove", "bob+x@example.net", "--tenant", "acme").exitCode())
        .isEqualTo(ApiCommand.NOT_FOUND);
    ok("suppress", "remove", "eve@example.net");
    assertThat(json("suppress", "list").get("suppressions")).isEmpty();
  }

  @Test
  void aWrongTokenOrNoDaemonExitsTwo() throws Exception {
    Path wrong = dir.resolve("wrong.token");
    Files.writeString(wrong, "not-the-token");
    CliRunner unauthorized =
        CliRunner.run("pool", "list", "--url", url, "--token-file", wrong.toString());
    assertThat(unauthorized.exitCode()).isEqualTo(ApiCommand.UNREACHABLE);
    assertThat(unauthorized.err()).startsWith("sluice pool list: ").doesNotContain(TOKEN);

    CliRunner nobody =
        CliRunner.run(
            "status",
            "--url",
            "http://127.0.0.1:" + Ports.refusing(),
            "--token-file",
            dir.resolve("admin.token").toString());
    assertThat(nobody.exitCode()).isEqualTo(ApiCommand.UNREACHABLE);
    assertThat(nobody.err()).contains("cannot connect to the admin API");
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    for (String bad :
        List.of("localhost:8025", "ftp://127.0.0.1:8025", "http://", "http://127.0.0.1:99999")) {
      CliRunner r =
          CliRunner.run(
              "status", "--url", bad, "--token-file", dir.resolve("admin.token").toString());
      assertThat(r.exitCode()).as(bad).isEqualTo(2);
      assertThat(r.err())
          .as(bad)
          .startsWith("Invalid value for option '--url': '" + bad + "' is not");
    }
  }

  @Test
  void aFileThatCannotBeReadIsOneLineAndExitsTwo() {
    Path missing = dir.resolve("missing.yaml");
    CliRunner noConfig = CliRunner.run("status", "--config", missing.toString());
    assertThat(noConfig.exitCode()).isEqualTo(ApiCommand.UNREACHABLE);
    assertThat(noConfig.err()).isEqualTo("sluice status: " + missing + ": no such file\n");

    CliRunner noToken = CliRunner.run("status", "--url", url, "--token-file", missing.toString());
    assertThat(noToken.exitCode()).isEqualTo(ApiCommand.UNREACHABLE);
    assertThat(noToken.err())
        .isEqualTo(
            "sluice status: cannot read the admin token: "
                + missing
                + ": no such file; give --token-file or set SLUICE_ADMIN_TOKEN\n");
  }

  /** The state and failed rounds of the first message to {@code recipient}: "deferred 1". */
  private static String state(String recipient) {
    try {
      JsonNode messages = json("queue", "list", "--recipient", recipient).get("messages");
      return messages.isEmpty()
          ? ""
          : messages.get(0).get("state").asText() + " " + messages.get(0).get("attempts").asInt();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void submit(String from, String to) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", String.valueOf(server.addresses().get(0).getPort()));
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject("held");
    m.setText("Hello.");
    Transport.send(m);
  }
}
