package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.admin.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The admin API as the CLI commands call it: JSON over HTTP with the bearer token, on {@code
 * java.net.http}. A command asks {@link AdminOptions} for one, calls {@link #send}, and maps the
 * answer's status to its exit code; {@link Unreachable} means no answer at all.
 */
final class AdminApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  AdminApi(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** An answer: its HTTP status and its JSON body (an empty object when it had none). */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The API's {@code error} text, or the status when there is none. */
    String error() {
      JsonNode e = body.get("error");
      return e != null && e.isTextual() ? e.asText() : "HTTP " + status;
    }
  }

  /** The server could not be asked: nothing listens, the connection broke, or it timed out. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sends {@code method path} with {@code json} as the body ({@code null}: none) and reads the
   * answer.
   */
  Answer send(String method, String path, Object json) throws Unreachable, InterruptedException {
    URI uri = base.resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(json)));
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new Unreachable("cannot connect to the admin API at " + base, e);
    } catch (IOException e) {
      throw new Unreachable("the admin API at " + base + " did not answer: " + e, e);
    }
    JsonNode body;
    try {
      body =
          response.body().isEmpty()
              ? Json.MAPPER.createObjectNode()
              : Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new Unreachable(uri + " answered " + response.statusCode() + " with no JSON", e);
    }
    return new Answer(response.statusCode(), body);
  }

  URI base() {
    return base;
  }
}
