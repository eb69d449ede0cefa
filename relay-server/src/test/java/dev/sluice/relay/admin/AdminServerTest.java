package dev.sluice.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final String AUTH = "Host: x\r\nAuthorization: Bearer " + TOKEN + "\r\n";

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final List<String> problems = new ArrayList<>();
  private AdminServer server;
  private AdminClient client;

  @BeforeEach
  void start() throws Exception {
    AdminRoutes routes = new AdminRoutes();
    HealthEndpoints.register(routes, () -> List.copyOf(problems));
    routes.get(
        "/api/v1/echo/{name}",
        Endpoint.of(
            r ->
                AdminResponse.ok(
                    Map.of(
                        "name", r.param("name"),
                        "limit", r.intParam("limit", 10, 100),
                        "body", r.json()))));
    routes.post("/api/v1/echo/{name}", Endpoint.of(r -> AdminResponse.ok(r.json())));
    // Answers from another thread, a moment later: as the endpoints that ask the scheduler do.
    routes.get(
        "/api/v1/later",
        r ->
            CompletableFuture.supplyAsync(
                () -> AdminResponse.ok(Map.of("later", true)),
                CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)));
    routes.get(
        "/api/v1/broken",
        Endpoint.of(
            r -> {
              throw new IllegalStateException("secret detail");
            }));
    server =
        AdminServer.bind(
            new InetSocketAddress("127.0.0.1", 0), routes, AdminToken.of(TOKEN), group, group);
    client = new AdminClient(server.address(), TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void healthAndReadinessNeedNoToken() throws Exception {
    AdminClient anonymous = client.withToken(null);
    assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/readyz").body()).contains("\"ready\"");
    problems.add("the spool cannot write");
    HttpResponse<String> notReady = anonymous.get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("the spool cannot write");
  }

  @Test
  void apiRefusesMissingOrWrongToken() throws Exception {
    HttpResponse<String> none = client.withToken(null).get("/api/v1/echo/x");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(none.body()).startsWith("{\"error\":");
    assertThat(client.withToken(TOKEN + "x").get("/api/v1/echo/x").statusCode()).isEqualTo(401);
    assertThat(client.get("/api/v1/echo/x").statusCode()).isEqualTo(200);
  }

  @Test
  void pathParametersAreDecodedAndKeepPlus() throws Exception {
    HttpResponse<String> r = client.get("/api/v1/echo/user+tag%40example.com?limit=5");
    assertThat(r.body()).contains("\"name\":\"user+tag@example.com\"").contains("\"limit\":5");
    assertThat(r.headers().firstValue("Content-Type")).hasValue(AdminResponse.JSON);
  }

  @Test
  void badInputGetsA4xxWithAJsonError() throws Exception {
    assertThat(client.get("/api/v1/echo/x?limit=lots").body())
        .isEqualTo("{\"error\":\"limit must be a number, not 'lots'\"}");
    assertThat(client.get("/api/v1/echo/x?limit=0").body())
        .isEqualTo("{\"error\":\"limit must be between 1 and 100, not 0\"}");
    assertThat(client.get("/api/v1/echo/x?limit=99999999999").body())
        .isEqualTo("{\"error\":\"limit must be between 1 and 100, not 99999999999\"}");
    HttpResponse<String> badJson = client.post("/api/v1/echo/x", "{not json");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).contains("not valid JSON");
    assertThat(client.post("/api/v1/echo/x", "[1]").body()).contains("must be a JSON object");
  }

  @Test
  void aMalformedPercentEscapeInThePathIsA400() throws Exception {
    assertThat(raw("GET /api/v1/echo/%zz HTTP/1.1\r\n" + AUTH + "Connection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .endsWith("\r\n\r\n{\"error\":\"malformed percent-encoding in path\"}");
  }

  @Test
  void aMalformedPercentEscapeInTheQueryIsA400() throws Exception {
    assertThat(
            raw("GET /api/v1/echo/x?limit=%zz HTTP/1.1\r\n" + AUTH + "Connection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .endsWith("\r\n\r\n{\"error\":\"malformed percent-encoding in query\"}");
  }

  @Test
  void aBodyOverTheLimitIsA413WithAJsonError() throws Exception {
    String tooLarge = "{\"error\":\"the request body is over the limit of 1048576 bytes\"}";
    HttpResponse<String> sent =
        client.post("/api/v1/echo/x", "{\"x\": \"" + "x".repeat(2 << 20) + "\"}");
    assertThat(sent.statusCode()).isEqualTo(413);
    assertThat(sent.body()).isEqualTo(tooLarge);
    assertThat(sent.headers().firstValue("Content-Type")).hasValue(AdminResponse.JSON);
    // curl announces a large body with Expect: 100-continue and waits: refused before it is sent.
    assertThat(
            raw(
                "POST /api/v1/echo/x HTTP/1.1\r\n"
                    + AUTH
                    + "Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n"))
        .startsWith("HTTP/1.1 413 ")
        .endsWith("\r\n\r\n" + tooLarge);
  }

  @Test
  void pipelinedRequestsAreAnsweredOneAfterTheOtherInTheirOrder() throws Exception {
    String answers =
        raw(
            "GET /api/v1/later HTTP/1.1\r\n"
                + AUTH
                + "\r\n"
                + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(answers)
        .startsWith("HTTP/1.1 200 ")
        .containsSubsequence("{\"later\":true}", "HTTP/1.1 200 ", "{\"status\":\"ok\"}");
  }

  /**
   * Sends {@code request} as is on a new connection (the JDK client refuses to send a malformed
   * URI) and reads until the server closes it.
   */
  private String raw(String request) throws IOException {
    try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertThat(client.get("/api/v1/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> wrong = client.delete("/api/v1/echo/x");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, POST");
  }

  @Test
  void aBugIsA500WithoutItsDetail() throws Exception {
    HttpResponse<String> r = client.get("/api/v1/broken");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("secret detail").contains("\"error\"");
  }

  @Test
  void aGeneratedTokenIsKeptPrivateAndReused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("admin.token");
    AdminToken first = AdminToken.load(Optional.empty(), Optional.empty(), file);
    String written = Files.readString(file).strip();
    assertThat(written).hasSize(48);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(first.accepts("Bearer " + written)).isTrue();
    assertThat(
            AdminToken.load(Optional.empty(), Optional.empty(), file).accepts("Bearer " + written))
        .isTrue();
    assertThat(
            AdminToken.load(Optional.of(TOKEN), Optional.empty(), file).accepts("Bearer " + TOKEN))
        .isTrue();
    assertThat(first.toString()).doesNotContain(written);
  }

  @Test
  void aTokenTooShortIsAFailureToStartNamedByWhereItCameFrom(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "short\n");
    assertThatThrownBy(() -> AdminToken.load(Optional.empty(), Optional.of(file), dir.resolve("g")))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": the admin token must be at least 16 characters");
    assertThatThrownBy(() -> AdminToken.load(Optional.of("short"), Optional.empty(), dir))
        .isInstanceOf(IOException.class)
        .hasMessage("SLUICE_ADMIN_TOKEN: the admin token must be at least 16 characters");
  }
}
