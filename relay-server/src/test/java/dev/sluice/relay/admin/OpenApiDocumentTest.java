package dev.sluice.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code openapi.json} true: every route the running server registers under {@code /api/v1}
 * is documented with the same method, and every documented route is served.
 */
class OpenApiDocumentTest {
  /**
   * Routes of the contract that other branches of issue 6 register (member overrides, reload,
   * events): documented already, served once merged. Empty this set when they are.
   */
  private static final Set<String> REGISTERED_ELSEWHERE = Set.of("GET /api/v1/events");

  @TempDir Path dir;

  @Test
  void documentListsExactlyTheRoutesTheServerServes() throws Exception {
    try (ScriptedSmtpServer good = ScriptedSmtpServer.start("127.0.0.1");
        ScriptedSmtpServer flaky = ScriptedSmtpServer.start("127.0.0.1");
        ApiSluice sluice = ApiSluice.start(dir, good, flaky)) {
      HttpResponse<String> r = sluice.client.withToken(null).get("/api/v1/openapi.json");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      JsonNode doc = Json.MAPPER.readTree(r.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.0");

      Set<String> documented = new TreeSet<>();
      for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
        for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
          documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
          assertThat(op.getValue().get("responses")).as(path.getKey()).isNotEmpty();
        }
      }
      Set<String> served = new TreeSet<>();
      for (AdminRoutes.RouteInfo route : sluice.server.adminRoutesServed()) {
        if (route.pattern().startsWith("/api/v1/")) {
          served.add(route.method() + " " + route.pattern());
        }
      }
      assertThat(documented).containsAll(served);
      Set<String> notServed = new TreeSet<>(documented);
      notServed.removeAll(served);
      assertThat(notServed).isSubsetOf(REGISTERED_ELSEWHERE);
      assertThat(r.body()).doesNotContain(ApiSluice.RELAY_PASSWORD);
    }
  }

  @Test
  void everySchemaReferenceResolves() {
    JsonNode doc = parse();
    Set<String> refs = new TreeSet<>();
    collectRefs(doc, refs);
    JsonNode schemas = doc.get("components").get("schemas");
    for (String ref : refs) {
      assertThat(ref).startsWith("#/components/schemas/");
      assertThat(schemas.has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue();
    }
  }

  private static JsonNode parse() {
    try {
      return Json.MAPPER.readTree(OpenApiEndpoint.document());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void collectRefs(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (f.getKey().equals("$ref")) {
          out.add(f.getValue().asText());
        } else {
          collectRefs(f.getValue(), out);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
