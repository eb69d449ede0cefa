package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.admin.Json;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that makes one admin API call: it says which {@link #request} and how to {@link #print}
 * the answer for people; this class finds the daemon, sends, prints the answer as is with {@code
 * --json}, prints the API's {@code error} to stderr, and maps the answer to the exit codes scripts
 * rely on: {@link #OK}, {@link #FAILED}, {@link #UNREACHABLE}, {@link #NOT_FOUND}.
 */
abstract class ApiCommand implements Callable<Integer> {
  static final int OK = 0;

  /** The API refused the operation (bad input, a conflict) or failed doing it. */
  static final int FAILED = 1;

  /** No answer from the daemon, or it refused the token (or the token could not be read). */
  static final int UNREACHABLE = 2;

  /** The pool, member, message or suppression named does not exist. */
  static final int NOT_FOUND = 3;

  /** One call: {@code method path} with {@code body} as JSON ({@code null}: none). */
  record Request(String method, String path, Object body) {
    static Request get(String path) {
      return new Request("GET", path, null);
    }
  }

  @Mixin AdminOptions admin;

  @Option(names = "--json", description = "Print the API's answer as JSON (one line).")
  boolean json;

  @Spec CommandSpec spec;

  /** The call this command makes, built from its parameters. */
  abstract Request request();

  /** Prints a successful answer for people. */
  abstract void print(PrintWriter out, JsonNode body);

  @Override
  public final Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.qualifiedName();
    Request request = request();
    AdminApi.Answer answer;
    try {
      answer = admin.api().send(request.method(), request.path(), request.body());
    } catch (ConfigException e) {
      e.errors().stream().map(ConfigError::toString).forEach(err::println);
      return UNREACHABLE;
    } catch (IOException | AdminApi.Unreachable e) {
      err.println(name + ": " + e.getMessage());
      return UNREACHABLE;
    }
    if (json) {
      out.println(Json.line(answer.body()));
    }
    if (answer.ok()) {
      if (!json) {
        print(out, answer.body());
      }
      return OK;
    }
    err.println(name + ": " + answer.error());
    answer.body().path("errors").forEach(e -> err.println(e.asText()));
    switch (answer.status()) {
      case 401:
        return UNREACHABLE;
      case 404:
        return NOT_FOUND;
      default:
        return FAILED;
    }
  }

  /**
   * {@code api/v1/} followed by {@code segments}, each percent-encoded (so {@code user+tag@host}
   * and {@code a/b} stay one segment).
   */
  static String path(String... segments) {
    StringBuilder s = new StringBuilder("api/v1");
    for (String segment : segments) {
      s.append('/').append(encode(segment));
    }
    return s.toString();
  }

  /**
   * {@code path} with the query parameters given as name, value pairs; null values are left out.
   */
  static String query(String path, Object... nameValue) {
    StringBuilder s = new StringBuilder(path);
    char sep = '?';
    for (int i = 0; i < nameValue.length; i += 2) {
      if (nameValue[i + 1] != null) {
        s.append(sep).append(nameValue[i]).append('=').append(encode(nameValue[i + 1].toString()));
        sep = '&';
      }
    }
    return s.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A field as text, or null when it is null or absent (a {@link Table} prints {@code -}). */
  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** The texts of a JSON array, comma-separated. */
  static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return String.join(",", out);
  }
}
