package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.relay.admin.Json;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice reload}: asks the running daemon to load routes.yaml again, through the admin API.
 * Exit 0 when the new policy is in force; 1 when the file is invalid (the errors are printed as
 * {@code file:line:column: message} and the daemon keeps its running policy) or there is no file to
 * reload; 2 when the daemon cannot be reached or refuses the token.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description =
        "Reload routes.yaml in the running daemon (validated whole; an invalid file is"
            + " refused and the running policy stays).")
final class ReloadCommand implements Callable<Integer> {
  static final int INVALID = 1;
  static final int UNREACHABLE = 2;

  @Mixin private AdminOptions admin;

  @Option(names = "--json", description = "Print the API's answer as JSON.")
  private boolean json;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AdminApi.Answer answer;
    try {
      answer = admin.api().send("POST", "api/v1/reload", null);
    } catch (ConfigException e) {
      e.errors().stream().map(ConfigError::toString).forEach(err::println);
      return UNREACHABLE;
    } catch (IOException | AdminApi.Unreachable e) {
      err.println("sluice reload: " + e.getMessage());
      return UNREACHABLE;
    }
    if (json) {
      out.println(Json.line(answer.body()));
    }
    if (answer.status() == 200) {
      JsonNode b = answer.body();
      if (!json) {
        out.printf(
            "reloaded %s: %d pools, %d rules, in force since %s%n",
            b.path("file").asText(),
            b.path("pools").asInt(),
            b.path("rules").asInt(),
            b.path("loaded_at").asText());
      }
      return 0;
    }
    if (answer.status() == 422 || answer.status() == 409) {
      err.println("sluice reload: " + answer.error());
      answer.body().path("errors").forEach(e -> err.println(e.asText()));
      return INVALID;
    }
    err.println("sluice reload: " + answer.error());
    return UNREACHABLE;
  }
}
