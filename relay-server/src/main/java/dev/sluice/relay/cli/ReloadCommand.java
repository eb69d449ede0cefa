package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

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
final class ReloadCommand extends ApiCommand {
  @Override
  Request request() {
    return new Request("POST", path("reload"), null);
  }

  @Override
  void print(PrintWriter out, JsonNode b) {
    out.printf(
        "reloaded %s: %d pools, %d rules, in force since %s%n",
        b.path("file").asText(),
        b.path("pools").asInt(),
        b.path("rules").asInt(),
        b.path("loaded_at").asText());
  }
}
