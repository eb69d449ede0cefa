package dev.sluice.relay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.suppress.SuppressionList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The suppression list: {@code GET /api/v1/suppressions?tenant=&limit=}, {@code POST
 * /api/v1/suppressions} and {@code DELETE /api/v1/suppressions/{tenant}/{address}}. Entries are per
 * tenant; an entry for mail no tenant was identified for shows {@code "tenant": null}, is added
 * with a null or absent tenant, and is named {@code -} in a path or the {@code tenant} filter.
 */
public final class SuppressionEndpoints {
  /** The name of "no tenant" in a path or a query. */
  static final String NO_TENANT = "-";

  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 100_000;

  private SuppressionEndpoints() {}

  record Entry(String tenant, String address, String reason, Instant at) {
    static Entry of(SuppressionList.Entry e) {
      return new Entry(
          e.tenant().equals(NO_TENANT) ? null : e.tenant(), e.address(), e.reason(), e.since());
    }
  }

  public static void register(AdminRoutes routes, SuppressionList list, Clock clock) {
    routes.get(
        "/api/v1/suppressions",
        Endpoint.of(
            request -> {
              int limit = request.intParam("limit", DEFAULT_LIMIT, MAX_LIMIT);
              Optional<String> tenant = request.queryParam("tenant");
              List<Entry> out = new ArrayList<>();
              for (SuppressionList.Entry e : list.entries()) {
                if (out.size() < limit && (tenant.isEmpty() || tenant.get().equals(e.tenant()))) {
                  out.add(Entry.of(e));
                }
              }
              return AdminResponse.ok(Map.of("suppressions", out));
            }));
    routes.post(
        "/api/v1/suppressions",
        Endpoint.of(
            request -> {
              JsonNode body = request.json();
              String address = MessageEndpoints.optionalText(body, "address").strip();
              if (!looksLikeAddress(address)) {
                throw new ApiException(
                    400,
                    "'address' must be an email address (local@domain), not '" + address + "'");
              }
              String tenant = MessageEndpoints.optionalText(body, "tenant").strip();
              String reason = MessageEndpoints.optionalText(body, "reason").strip();
              Optional<String> t =
                  tenant.isEmpty() || tenant.equals(NO_TENANT)
                      ? Optional.empty()
                      : Optional.of(tenant);
              Instant now = clock.instant();
              String why = reason.isEmpty() ? "added by operator" : reason;
              io(
                  () -> {
                    list.add(t, address, why, now);
                    return null;
                  });
              return AdminResponse.json(
                  201, new Entry(t.orElse(null), address.toLowerCase(Locale.ROOT), why, now));
            }));
    routes.delete(
        "/api/v1/suppressions/{tenant}/{address}",
        Endpoint.of(
            request -> {
              String tenant = request.param("tenant");
              String address = request.param("address");
              Optional<String> t =
                  tenant.equals(NO_TENANT) ? Optional.empty() : Optional.of(tenant);
              if (!io(() -> list.remove(t, address))) {
                throw new ApiException(
                    404, "<" + address + "> is not suppressed for tenant " + tenant);
              }
              return AdminResponse.ok(
                  Map.of("tenant", tenant, "address", address, "removed", true));
            }));
  }

  private static boolean looksLikeAddress(String a) {
    int at = a.lastIndexOf('@');
    return at > 0
        && at < a.length() - 1
        && a.length() <= 320
        && a.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  /** An I/O failure of the list file is the server's fault: a 500, logged. */
  private static <T> T io(IoCall<T> c) {
    try {
      return c.call();
    } catch (IOException e) {
      throw new UncheckedIOException("suppression list", e);
    }
  }
}
