package dev.sluice.relay.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What an endpoint answers: status, content type, body and any extra headers. Built only through
 * the factories, so every JSON answer and every error has the same shape.
 *
 * @param headers extra response headers (e.g. a Content-Security-Policy), set after the standard
 *     ones
 */
public record AdminResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json; charset=utf-8";

  public AdminResponse {
    Objects.requireNonNull(contentType, "contentType");
    body = body.clone();
    headers = Map.copyOf(headers);
  }

  public AdminResponse(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  /** This response with {@code more} headers added. */
  public AdminResponse withHeaders(Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.putAll(more);
    return new AdminResponse(status, contentType, body, all);
  }

  /** 200 with {@code value} as JSON. */
  public static AdminResponse ok(Object value) {
    return json(200, value);
  }

  public static AdminResponse json(int status, Object value) {
    return new AdminResponse(status, JSON, Json.bytes(value));
  }

  /** {@code {"error": message}} with a 4xx or 5xx status. */
  public static AdminResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  public static AdminResponse text(int status, String contentType, String text) {
    return new AdminResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdminResponse r
        && status == r.status
        && contentType.equals(r.contentType)
        && java.util.Arrays.equals(body, r.body)
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, contentType, java.util.Arrays.hashCode(body), headers);
  }

  @Override
  public String toString() {
    return status + " " + contentType + " (" + body.length + " bytes)";
  }
}
