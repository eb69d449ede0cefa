package dev.sluice.relay.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web dashboard: {@code /} is its page and {@code /assets/{file}} its script, style sheet and
 * icon, all read once from the classpath. Both routes are public because the files hold no data:
 * the page asks the operator for the bearer token and sends it on its own API calls.
 *
 * <p>Only the files named in {@link #FILES} are served, so no request path can reach anything else
 * (no directory traversal); any other name is a JSON 404. Every answer carries a strict
 * Content-Security-Policy: scripts, styles and API calls from this origin only, no inline code, no
 * framing.
 */
public final class DashboardAssets {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private static final String ROOT = "dashboard/";

  /** The files the dashboard is made of, with their content types. */
  static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "style.css", "text/css; charset=utf-8",
          "favicon.svg", "image/svg+xml");

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy", CSP,
          "Referrer-Policy", "no-referrer",
          "X-Frame-Options", "DENY");

  private final Map<String, AdminResponse> responses;

  private DashboardAssets(Map<String, AdminResponse> responses) {
    this.responses = responses;
  }

  /** Registers {@code GET /} and {@code GET /assets/{file}}. */
  public static void register(AdminRoutes routes) {
    DashboardAssets assets = load();
    routes.add("GET", "/", AdminRoutes.Access.PUBLIC, Endpoint.of(r -> assets.file("index.html")));
    routes.add(
        "GET",
        "/assets/{file}",
        AdminRoutes.Access.PUBLIC,
        Endpoint.of(r -> assets.file(r.param("file"))));
  }

  private AdminResponse file(String name) {
    AdminResponse response = responses.get(name);
    if (response == null) {
      throw new ApiException(404, "no such dashboard file: " + name);
    }
    return response;
  }

  private static DashboardAssets load() {
    Map<String, AdminResponse> responses = new LinkedHashMap<>();
    FILES.forEach(
        (name, type) ->
            responses.put(
                name, new AdminResponse(200, type, read(ROOT + name)).withHeaders(HEADERS)));
    return new DashboardAssets(Map.copyOf(responses));
  }

  private static byte[] read(String resource) {
    try (InputStream in = DashboardAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard file " + resource + " is not packaged");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
    }
  }
}
