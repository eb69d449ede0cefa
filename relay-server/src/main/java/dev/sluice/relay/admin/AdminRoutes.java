package dev.sluice.relay.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The route table of the admin server: {@code METHOD /path/{param}} → endpoint, and whether it
 * needs the bearer token. Patterns match whole segments; a {@code {name}} segment matches any one
 * non-empty segment.
 */
public final class AdminRoutes {
  /** Whether a route needs the bearer token. */
  public enum Access {
    /** Liveness, readiness, metrics and the dashboard's static files. */
    PUBLIC,
    TOKEN
  }

  private record Route(String method, List<String> segments, Access access, Endpoint endpoint) {}

  /** A registered route: {@code GET /api/v1/pools/{pool}}, and whether it needs the token. */
  public record RouteInfo(String method, String pattern, Access access) {}

  /** A route found for a request, with the values of its parameters. */
  public record Match(Endpoint endpoint, Access access, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds {@code method pattern}; a pattern registered twice for one method is a bug. */
  public AdminRoutes add(String method, String pattern, Access access, Endpoint endpoint) {
    String m = method.toUpperCase(Locale.ROOT);
    List<String> segments = segments(pattern);
    for (Route r : routes) {
      if (r.method.equals(m) && r.segments.equals(segments)) {
        throw new IllegalStateException("route registered twice: " + m + " " + pattern);
      }
    }
    routes.add(new Route(m, segments, access, endpoint));
    return this;
  }

  public AdminRoutes get(String pattern, Endpoint endpoint) {
    return add("GET", pattern, Access.TOKEN, endpoint);
  }

  public AdminRoutes post(String pattern, Endpoint endpoint) {
    return add("POST", pattern, Access.TOKEN, endpoint);
  }

  public AdminRoutes put(String pattern, Endpoint endpoint) {
    return add("PUT", pattern, Access.TOKEN, endpoint);
  }

  public AdminRoutes delete(String pattern, Endpoint endpoint) {
    return add("DELETE", pattern, Access.TOKEN, endpoint);
  }

  /** Every route, in the order registered. */
  public List<RouteInfo> routes() {
    List<RouteInfo> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(new RouteInfo(r.method, String.join("/", r.segments), r.access));
    }
    return out;
  }

  /**
   * The route for {@code method path}, if one matches.
   *
   * @throws ApiException 400 for a path with a malformed percent-escape
   */
  public Optional<Match> match(String method, String path) {
    List<String> segments = segments(path);
    for (Route r : routes) {
      if (r.method.equals(method)) {
        Map<String, String> params = bind(r.segments, segments);
        if (params != null) {
          return Optional.of(new Match(r.endpoint, r.access, params));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The methods some route accepts at {@code path}: empty means 404, otherwise 405.
   *
   * @throws ApiException 400 for a path with a malformed percent-escape
   */
  public TreeSet<String> methodsAt(String path) {
    List<String> segments = segments(path);
    TreeSet<String> methods = new TreeSet<>();
    for (Route r : routes) {
      if (bind(r.segments, segments) != null) {
        methods.add(r.method);
      }
    }
    return methods;
  }

  private static Map<String, String> bind(List<String> pattern, List<String> path) {
    if (pattern.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      String s = path.get(i);
      if (p.startsWith("{") && p.endsWith("}")) {
        if (s.isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), s);
      } else if (!p.equals(s)) {
        return null;
      }
    }
    return params;
  }

  /** The decoded segments of a path; a malformed {@code %XX} is a 400. */
  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      try {
        // A path keeps '+' as itself (user+tag@example.com); only %XX is decoded.
        out.add(
            java.net.URLDecoder.decode(
                s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "malformed percent-encoding in path");
      }
    }
    if (out.size() > 1 && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
