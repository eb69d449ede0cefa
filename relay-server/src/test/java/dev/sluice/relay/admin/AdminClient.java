package dev.sluice.relay.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JDK HTTP client for the admin API, with or without the bearer token. */
public final class AdminClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public AdminClient(InetSocketAddress address, String token) {
    this.base = "http://" + address.getHostString() + ":" + address.getPort();
    this.token = token;
  }

  /** The same server, another token ({@code null}: none). */
  public AdminClient withToken(String other) {
    return new AdminClient(
        new InetSocketAddress(URI.create(base).getHost(), URI.create(base).getPort()), other);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  public HttpResponse<String> post(String path, String json)
      throws IOException, InterruptedException {
    return send("POST", path, json);
  }

  public HttpResponse<String> put(String path, String json)
      throws IOException, InterruptedException {
    return send("PUT", path, json);
  }

  public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send("DELETE", path, null);
  }

  public HttpResponse<String> send(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
