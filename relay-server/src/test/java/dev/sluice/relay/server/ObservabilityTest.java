package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.relay.admin.AdminClient;
import dev.sluice.relay.auth.PasswordHashes;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.relay.webhooks.WebhookSink;
import dev.sluice.routing.testing.Policies;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators watch, seen from outside a running Sluice: mail submitted with AUTH through the
 * submission listener goes to a SubEthaSMTP upstream, and the JSON log file, /metrics,
 * /api/v1/events and a webhook receiver (the JDK's HTTP server) show it, without a secret.
 */
class ObservabilityTest {
  private static final String USER = "acme-app";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String WEBHOOK_SECRET = "whsec-5a1c3-very-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<Received> hooks = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final CountDownLatch releaseStuck = new CountDownLatch(1);
  private SluiceServer sluice;
  private ScriptedSmtpServer upstream;
  private AdminClient admin;
  private String token;

  /** One POST the webhook receiver got. */
  private record Received(String delivery, String timestamp, String signature, byte[] body) {}

  @AfterEach
  void stop() throws Exception {
    releaseStuck.countDown();
    if (sluice != null) {
      sluice.close();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /**
   * Starts the upstream, a webhook receiver, and Sluice with one webhook to the receiver plus
   * {@code extraWebhooks} (YAML list items; RECEIVER is the receiver's port, DEAD a closed one).
   */
  private void start(String extraWebhooks) throws Exception {
    upstream = ScriptedSmtpServer.start("127.0.0.6");
    open.add(upstream);
    upstream.answerRcptFor("nobody@example.net", 550, "5.1.1 No such user here");
    HttpServer receiver = receiver();
    Files.writeString(dir.resolve("webhook.secret"), WEBHOOK_SECRET + "\n");
    String yaml =
        """
        hostname: relay.sluice.test
        listeners:
          - { name: relay, address: "127.0.0.1:0", mode: relay }
          - { name: submission, address: "127.0.0.1:0", mode: submission }
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0" }
        delivery: { retry: [ 300ms ], shutdown_grace: 5s }
        logging: { format: json, file: log/sluice.log, max_size: 10MB, keep: 2 }
        webhooks:
          - { url: "http://127.0.0.1:%d/hook", secret_file: webhook.secret, backoff: 50ms, timeout: 5s }
        %s
        """
            .formatted(
                Ports.free(),
                receiver.getAddress().getPort(),
                extraWebhooks
                    .replace("RECEIVER", Integer.toString(receiver.getAddress().getPort()))
                    .replace("DEAD", Integer.toString(Ports.refusing())));
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, dir);
    String routes =
        """
        pools:
          main:
            members: [ { name: upstream, relay: { host: 127.0.0.6, port: %d, tls: none } } ]
        tenants:
          acme:
            sender_domains: [acme.example]
            users: [ { username: acme-app, password_hash: "%s" } ]
        rules: [ { name: all, route: { pool: main } } ]
        traffic: { recipient_rate: off }
        """
            .formatted(upstream.address().getPort(), PasswordHashes.bcrypt(PASSWORD.toCharArray()));
    sluice = SluiceServer.start(config, Policies.parse(routes), dir, Clock.systemUTC());
    token = Files.readString(dir.resolve("admin.token")).strip();
    admin = new AdminClient(sluice.adminAddress(), token);
  }

  /** The webhook receiver: answers 500 while {@link #failuresLeft} lasts, then 204. */
  private HttpServer receiver() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          hooks.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("X-Sluice-Delivery"),
                  exchange.getRequestHeaders().getFirst("X-Sluice-Timestamp"),
                  exchange.getRequestHeaders().getFirst("X-Sluice-Signature"),
                  body));
          int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.createContext(
        "/stuck",
        exchange -> {
          try {
            releaseStuck.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    open.add(() -> server.stop(0));
    return server;
  }

  /** Jakarta Mail on the submission listener: STARTTLS required, then AUTH. */
  private Session submission() {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", String.valueOf(sluice.addresses().get(1).getPort()));
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.trust", "*");
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "5000");
    return Session.getInstance(p);
  }

  /** Sends one message as the tenant's user over STARTTLS + AUTH on the submission listener. */
  private void submit(String subject, String... to) throws Exception {
    Session session = submission();
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("orders@acme.example"));
    for (String rcpt : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(rcpt));
    }
    m.setSubject(subject);
    m.setText("Your order has shipped.\r\n");
    Transport.send(m, USER, PASSWORD);
  }

  private List<JsonNode> logLines() throws IOException {
    Path file = dir.resolve("log/sluice.log");
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode node = JSON.readTree(line); // every line must parse on its own
      assertThat(node.isObject()).as(line).isTrue();
      out.add(node);
    }
    return out;
  }

  private JsonNode logged(String type) throws Exception {
    Await.until(type + " in the log", () -> find(type) != null);
    return find(type);
  }

  private JsonNode find(String type) {
    try {
      return logLines().stream()
          .filter(n -> n.path("type").asText().equals(type))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theJsonLogHasOneParsableLinePerEventWithTheFieldsOfEachStep() throws Exception {
    start("");
    submit("log me", "customer@example.net");
    upstream.awaitMessages(1, Duration.ofSeconds(20));

    JsonNode received = logged("received");
    String id = received.get("message_id").asText();
    assertThat(id).isNotEmpty();
    assertThat(received.get("tenant").asText()).isEqualTo("acme");
    assertThat(received.get("sender").asText()).isEqualTo("orders@acme.example");
    assertThat(received.get("recipients").asInt()).isEqualTo(1);
    assertThat(Instant.parse(received.get("at").asText())).isNotNull();

    JsonNode routed = logged("routed");
    assertThat(routed.get("message_id").asText()).isEqualTo(id);
    assertThat(routed.get("rule").asText()).isEqualTo("all");
    assertThat(routed.get("pool").asText()).isEqualTo("main");
    assertThat(routed.get("member").asText()).isEqualTo("upstream");
    assertThat(routed.get("destination").asText()).isEqualTo("default");

    JsonNode attempt = logged("attempt");
    assertThat(attempt.get("mx").asText()).contains("127.0.0.6");
    assertThat(attempt.get("result").asText()).isEqualTo("ok");
    assertThat(attempt.get("elapsed_ms").isIntegralNumber()).isTrue();

    JsonNode delivered = logged("delivered");
    assertThat(delivered.get("message_id").asText()).isEqualTo(id);
    assertThat(delivered.get("recipient").asText()).isEqualTo("customer@example.net");
    assertThat(delivered.get("tenant").asText()).isEqualTo("acme");
    assertThat(delivered.get("reply").asText()).startsWith("250");
    assertThat(delivered.get("delay_ms").asLong()).isNotNegative();
    assertThat(delivered.has("category")).isFalse(); // absent fields are left out
  }

  @Test
  void metricsCountDeliveriesAndBouncesInStrictPrometheusText() throws Exception {
    start("");
    submit("one good, one bad", "customer@example.net", "nobody@example.net");
    Await.until("both recipients settled", () -> sluice.spool().entries().isEmpty());
    Await.until(
        "the bounce counted",
        () -> scrape().contains("sluice_recipients_bounced_total{pool=\"main\""));

    HttpResponse<String> response = admin.withToken(null).get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    List<Sample> samples = PromParser.parse(response.body());

    assertThat(
            value(
                samples,
                "sluice_recipients_delivered_total",
                "pool=main,member=upstream,destination=default,tenant=acme"))
        .as("the good recipient, and the DSN of the bad one to the sender")
        .isEqualTo(2);
    assertThat(
            samples.stream()
                .filter(s -> s.name.equals("sluice_recipients_bounced_total"))
                .filter(s -> s.labels.startsWith("pool=main,member=upstream,"))
                .filter(s -> s.labels.contains("tenant=acme,category="))
                .mapToDouble(s -> s.value)
                .sum())
        .isEqualTo(1);
    assertThat(value(samples, "sluice_messages_received_total", "tenant=acme")).isEqualTo(1);
    assertThat(value(samples, "sluice_attempt_duration_seconds_count", "pool=main,member=upstream"))
        .isEqualTo(2);
    assertThat(value(samples, "sluice_delivery_delay_seconds_count", "pool=main")).isEqualTo(2);
    assertThat(value(samples, "sluice_ingress_ack_duration_seconds_count", "")).isEqualTo(1);
    assertThat(value(samples, "sluice_member_state", "pool=main,member=upstream,state=healthy"))
        .isEqualTo(1);
    assertThat(value(samples, "sluice_member_effective_weight", "pool=main,member=upstream"))
        .isPositive();
    assertThat(value(samples, "sluice_queue_messages", "state=waiting")).isZero();
    assertThat(response.body()).doesNotContain("customer@example.net").doesNotContain("nobody@");

    // The Grafana dashboard and the docs name only metrics that exist.
    for (String doc : List.of("grafana-sluice.json", "observability.md")) {
      Matcher names =
          Pattern.compile("sluice_[a-z_]+")
              .matcher(Files.readString(Path.of("..", "docs", doc), StandardCharsets.UTF_8));
      while (names.find()) {
        String name = names.group().replaceAll("_(sum|count)$", "");
        assertThat(response.body()).as(doc + " names " + name).contains("# TYPE " + name + " ");
      }
    }
  }

  @Test
  void webhooksGetSignedEventsAndAFailingEndpointIsRetried() throws Exception {
    failuresLeft.set(2);
    start("");
    submit("hook me", "customer@example.net");
    Await.until(
        "a delivered event accepted by the receiver",
        () -> hooks.size() >= 3 && bodies().contains("\"type\":\"delivered\""));

    // The first batch was refused twice and sent again: same delivery id, signed each time.
    assertThat(hooks.get(0).delivery()).isEqualTo(hooks.get(1).delivery());
    assertThat(hooks.get(1).delivery()).isEqualTo(hooks.get(2).delivery());
    for (Received r : hooks) {
      long timestamp = Long.parseLong(r.timestamp());
      assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);
      assertThat(r.signature()).isEqualTo(expectedSignature(r.timestamp(), r.body()));
      JsonNode events = JSON.readTree(r.body()).get("events");
      assertThat(events.isArray()).isTrue();
      events.forEach(e -> assertThat(e.get("type").asText()).isNotEmpty());
    }
    assertThat(scrape()).contains("sluice_webhook_posts_failed_total{webhook=\"1:127.0.0.1:");
  }

  @Test
  void aStuckOrDeadWebhookEndpointDoesNotHoldUpDelivery() throws Exception {
    start(
        """
          - { url: "http://127.0.0.1:RECEIVER/stuck", secret_file: webhook.secret, timeout: 60s }
          - { url: "http://127.0.0.1:DEAD/dead", secret_file: webhook.secret, backoff: 10ms }
        """);
    long started = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      submit("while the hooks fail " + i, "customer@example.net");
    }
    upstream.awaitMessages(3, Duration.ofSeconds(20));
    Await.until(
        "the deliveries are recorded", () -> eventsJson().contains("\"type\":\"delivered\""));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(releaseStuck.getCount()).as("the stuck endpoint never answered").isEqualTo(1);
    Await.until(
        "the dead endpoint counted",
        () -> scrape().contains("sluice_webhook_posts_failed_total{webhook=\"3:127.0.0.1:"));
  }

  @Test
  void aWebhookIsNamedByItsPositionAndHostNeverByItsSecretPath() throws Exception {
    String path = "/services/T0SLUICE/B0HOOK/xoxs-path-secret-7f3a";
    List<String> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(WebhookSink.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            warnings.add(new SimpleFormatter().formatMessage(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    open.add(() -> logger.removeHandler(capture));
    int dead = Ports.refusing();
    start(
        "  - { url: \"http://127.0.0.1:%d%s?token=q\", secret_file: webhook.secret,\n"
                .formatted(dead, path)
            + "      backoff: 10ms, max_attempts: 2 }\n");
    submit("to a slack-style hook", "customer@example.net");
    String name = "2:127.0.0.1:" + dead;
    Await.until(
        "the dead endpoint gave a batch up",
        () -> scrape().contains("sluice_webhook_events_dropped_total{webhook=\"" + name + "\"}"));
    Await.until("the give-up logged", () -> String.join("\n", warnings).contains("giving up"));

    assertThat(warnings).anyMatch(w -> w.startsWith("webhook " + name + ": giving up"));
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .contains("sluice-webhook " + name);
    List<String> seen = new ArrayList<>(warnings);
    seen.add(scrape());
    Thread.getAllStackTraces().keySet().forEach(t -> seen.add(t.getName()));
    assertThat(seen)
        .noneMatch(text -> text.contains("xoxs-path-secret") || text.contains("token="));
  }

  @Test
  void noSecretAppearsInTheLogTheMetricsOrTheEvents() throws Exception {
    start("");
    submit("secrets stay secret", "customer@example.net");
    upstream.awaitMessages(1, Duration.ofSeconds(20));
    logged("delivered");
    Await.until("webhook got the delivery", () -> bodies().contains("\"type\":\"delivered\""));

    String plain =
        Base64.getEncoder()
            .encodeToString(("\0" + USER + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    List<String> secrets =
        List.of(
            PASSWORD,
            plain,
            Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)),
            token,
            WEBHOOK_SECRET);
    String log = Files.readString(dir.resolve("log/sluice.log"));
    String metrics = scrape();
    String events = eventsJson();
    for (String secret : secrets) {
      assertThat(log).doesNotContain(secret);
      assertThat(metrics).doesNotContain(secret);
      assertThat(events).doesNotContain(secret);
      assertThat(bodies()).doesNotContain(secret);
    }
    assertThat(events).contains("\"type\":\"received\"");
  }

  @Test
  void aRefusedLoginIsAnAuthFailedEventAndAMetricWithoutThePassword() throws Exception {
    start("");
    try (Transport transport = submission().getTransport("smtp")) {
      assertThatThrownBy(() -> transport.connect(USER, "wrong horse"))
          .isInstanceOf(AuthenticationFailedException.class);
    }

    JsonNode failed = logged("auth_failed");
    assertThat(failed.get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(failed.get("username").asText()).isEqualTo(USER);
    assertThat(failed.get("result").asText()).isEqualTo("rejected");
    assertThat(scrape()).contains("sluice_auth_failures_total{result=\"rejected\"} 1");
    assertThat(eventsJson()).contains("\"type\":\"auth_failed\"");
    assertThat(Files.readString(dir.resolve("log/sluice.log"))).doesNotContain("wrong horse");
  }

  @Test
  void theEventsEndpointListsTheLatestEventsNewestFirstBehindTheToken() throws Exception {
    start("");
    submit("listed", "customer@example.net");
    Await.until("delivered listed", () -> eventsJson().contains("\"type\":\"delivered\""));

    JsonNode all = JSON.readTree(admin.get("/api/v1/events?limit=1000").body()).get("events");
    assertThat(all.size()).isGreaterThanOrEqualTo(4);
    for (int i = 1; i < all.size(); i++) {
      Instant newer = Instant.parse(all.get(i - 1).get("at").asText());
      assertThat(newer).isAfterOrEqualTo(Instant.parse(all.get(i).get("at").asText()));
    }
    JsonNode two = JSON.readTree(admin.get("/api/v1/events?limit=2").body()).get("events");
    assertThat(two.size()).isEqualTo(2);
    assertThat(two.get(0)).isEqualTo(all.get(0));

    assertThat(admin.withToken(null).get("/api/v1/events").statusCode()).isEqualTo(401);
    HttpResponse<String> bad = admin.get("/api/v1/events?limit=0");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("limit");
  }

  private String expectedSignature(String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private String bodies() {
    StringBuilder s = new StringBuilder();
    hooks.forEach(h -> s.append(new String(h.body(), StandardCharsets.UTF_8)));
    return s.toString();
  }

  private String scrape() {
    try {
      return admin.withToken(null).get("/metrics").body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private String eventsJson() {
    try {
      return admin.get("/api/v1/events?limit=1000").body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double value(List<Sample> samples, String name, String labels) {
    return samples.stream()
        .filter(s -> s.name.equals(name) && s.labels.equals(labels))
        .mapToDouble(s -> s.value)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + "{" + labels + "}"));
  }

  /** One sample; labels as {@code a=x,b=y} with values unescaped. */
  record Sample(String name, String labels, double value) {}

  /**
   * A strict reader of the text format 0.0.4: HELP then TYPE once per family before its samples,
   * every sample of a declared family (summaries: quantiles, _sum, _count), label values correctly
   * escaped, values numbers.
   */
  static final class PromParser {
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+");
    private static final Pattern TYPE =
        Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE =
        Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL =
        Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    static List<Sample> parse(String text) {
      assertThat(text).endsWith("\n");
      List<Sample> out = new ArrayList<>();
      java.util.Map<String, String> types = new java.util.HashMap<>();
      String helped = null;
      for (String line : text.split("\n")) {
        Matcher m;
        if ((m = HELP.matcher(line)).matches()) {
          assertThat(types).as("one HELP per family: " + line).doesNotContainKey(m.group(1));
          helped = m.group(1);
        } else if ((m = TYPE.matcher(line)).matches()) {
          assertThat(m.group(1)).as("TYPE right after its HELP").isEqualTo(helped);
          types.put(m.group(1), m.group(2));
        } else if ((m = SAMPLE.matcher(line)).matches()) {
          String name = m.group(1);
          String family = family(name, types);
          assertThat(family).as("sample of an undeclared family: " + line).isNotNull();
          StringBuilder labels = new StringBuilder();
          if (m.group(3) != null) {
            Matcher l = LABEL.matcher(m.group(3));
            while (l.find()) {
              String value =
                  l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
              if (!l.group(1).equals("quantile")) {
                labels
                    .append(labels.length() == 0 ? "" : ",")
                    .append(l.group(1))
                    .append('=')
                    .append(value);
              }
            }
          }
          String v = m.group(4);
          double value =
              v.equals("NaN")
                  ? Double.NaN
                  : v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
          if (m.group(3) == null || !m.group(3).contains("quantile=")) {
            out.add(new Sample(name, labels.toString(), value));
          }
        } else {
          throw new AssertionError("not a line of the text format: '" + line + "'");
        }
      }
      return out;
    }

    private static String family(String name, java.util.Map<String, String> types) {
      if (types.containsKey(name)) {
        return name;
      }
      for (String suffix : List.of("_sum", "_count")) {
        if (name.endsWith(suffix)) {
          String base = name.substring(0, name.length() - suffix.length());
          if ("summary".equals(types.get(base)) || "histogram".equals(types.get(base))) {
            return base;
          }
        }
      }
      return null;
    }
  }
}
