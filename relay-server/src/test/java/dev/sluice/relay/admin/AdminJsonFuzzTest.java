package dev.sluice.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the request bodies of the admin API on a whole running Sluice ({@link ApiSluice}), over
 * HTTP with the token. The input's first line picks one of the endpoints that read a JSON body
 * ({@link #ENDPOINTS}); the rest is the body, sent as raw bytes. The promise (AdminHandler, docs/
 * api.md): a body the endpoint cannot use is a 4xx with {@code {"error": "..."}}, never a 500; any
 * answer is JSON.
 */
class AdminJsonFuzzTest {
  /** Every endpoint with a JSON body, on members and ids that exist or are well formed. */
  private static final Set<String> ENDPOINTS =
      Set.of(
          "POST /api/v1/route",
          "POST /api/v1/suppressions",
          "POST /api/v1/members/good/suspend",
          "PUT /api/v1/members/good/weight",
          "POST /api/v1/members/nowhere/test",
          "POST /api/v1/members/good/test-message",
          "POST /api/v1/messages/0G5RM2K9T4XZ/bounce");

  @TempDir static Path dir;
  private static ScriptedSmtpServer good;
  private static ScriptedSmtpServer flaky;
  private static ApiSluice sluice;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    good = ScriptedSmtpServer.start("127.0.0.1");
    flaky = ScriptedSmtpServer.start("127.0.0.1");
    sluice = ApiSluice.start(dir, good, flaky);
  }

  @AfterAll
  static void stop() {
    sluice.close();
    good.close();
    flaky.close();
  }

  @FuzzTest(maxDuration = "5m")
  void badBodiesGetA4xxJsonErrorNeverA500(byte[] input) throws Exception {
    int newline = indexOf(input, (byte) '\n');
    String requestLine =
        new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
    if (!ENDPOINTS.contains(requestLine)) {
      return;
    }
    byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
    String[] methodAndPath = requestLine.split(" ");
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + sluice.server.adminAddress().getPort()
                            + methodAndPath[1]))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ApiSluice.TOKEN)
                .header("Content-Type", "application/json")
                .method(methodAndPath[0], HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as("%s: %s", requestLine, response.body()).isLessThan(500);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(AdminResponse.JSON);
    JsonNode answer = Json.MAPPER.readTree(response.body());
    if (response.statusCode() >= 400) {
      assertThat(answer.path("error").isTextual()).as("error of %s", response.body()).isTrue();
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
