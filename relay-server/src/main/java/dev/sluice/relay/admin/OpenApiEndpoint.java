package dev.sluice.relay.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json} (public): the OpenAPI 3.0 document of the admin API, written by
 * hand beside this class ({@code openapi.json}); a test keeps it true to the routes the server
 * registers.
 */
public final class OpenApiEndpoint {
  static final String RESOURCE = "openapi.json";

  private OpenApiEndpoint() {}

  public static void register(AdminRoutes routes) {
    byte[] document = document();
    routes.add(
        "GET",
        "/api/v1/openapi.json",
        AdminRoutes.Access.PUBLIC,
        Endpoint.of(request -> new AdminResponse(200, AdminResponse.JSON, document)));
  }

  /** The document as shipped in the jar. */
  static byte[] document() {
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
