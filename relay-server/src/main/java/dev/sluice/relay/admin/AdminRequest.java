package dev.sluice.relay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One admin HTTP request, decoded: method, path, the parameters of the route it matched, the query
 * string and the body.
 *
 * @param pathParams values of the route's {@code {name}} segments, URL-decoded
 * @param query query parameters, URL-decoded; a repeated name keeps every value
 */
public record AdminRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    byte[] body) {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  public AdminRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    pathParams = Map.copyOf(pathParams);
    query = Map.copyOf(query);
    body = body.clone();
  }

  /** A path parameter the route declares. */
  public String param(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the route has no parameter " + name);
    }
    return value;
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A query parameter as an int from 1 to {@code max}, {@code fallback} when absent. */
  public int intParam(String name, int fallback, int max) {
    Optional<String> raw = queryParam(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    if (!INTEGER.matcher(raw.get()).matches()) {
      throw new ApiException(400, name + " must be a number, not '" + raw.get() + "'");
    }
    // Any number of digits: one too long for an int is out of range, not "not a number".
    BigInteger value = new BigInteger(raw.get());
    if (value.signum() < 1 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ApiException(400, name + " must be between 1 and " + max + ", not " + raw.get());
    }
    return value.intValue();
  }

  /** The body as a JSON object; an empty body is an empty object. */
  public JsonNode json() {
    if (body.length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new ApiException(400, "the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ApiException(400, "the body could not be read: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdminRequest r
        && method.equals(r.method)
        && path.equals(r.path)
        && pathParams.equals(r.pathParams)
        && query.equals(r.query)
        && java.util.Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, pathParams, query, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
