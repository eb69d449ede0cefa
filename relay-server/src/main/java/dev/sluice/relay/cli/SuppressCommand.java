package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice suppress …}: the suppression list, per tenant. An entry without a tenant (mail no
 * tenant was identified for) is written {@code -} in {@code --tenant}, as in the API's paths.
 */
@Command(
    name = "suppress",
    mixinStandardHelpOptions = true,
    description = "List, add and remove suppressed recipients.",
    subcommands = {
      SuppressCommand.ListEntries.class,
      SuppressCommand.Add.class,
      SuppressCommand.Remove.class
    })
final class SuppressCommand {
  /** How the API writes "no tenant" in a path or a filter. */
  private static final String NO_TENANT = "-";

  private SuppressCommand() {}

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Suppressed recipients, by tenant then address.")
  static final class ListEntries extends ApiCommand {
    @Option(
        names = "--tenant",
        paramLabel = "T",
        description = "Only this tenant's entries ('-': those without a tenant).")
    String tenant;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most N (1 to 100000; default 1000).")
    Integer limit;

    @Override
    Request request() {
      return Request.get(query(path("suppressions"), "tenant", tenant, "limit", limit));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      Table table = new Table("TENANT", "ADDRESS", "SINCE", "REASON");
      body.path("suppressions")
          .forEach(
              s ->
                  table.row(
                      text(s, "tenant"), text(s, "address"), text(s, "at"), text(s, "reason")));
      table.print(out);
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Suppress a recipient for a tenant (or for mail without a tenant).")
  static final class Add extends EntryCommand {
    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why (default: added by operator).")
    String reason;

    @Override
    Request request() {
      Map<String, Object> body = new HashMap<>();
      body.put("address", address);
      body.put("tenant", tenant());
      if (reason != null) {
        body.put("reason", reason);
      }
      return new Request("POST", path("suppressions"), body);
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      out.printf("suppressed %s for %s%n", text(body, "address"), who(text(body, "tenant")));
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Take a recipient off a tenant's list (exit 3 when it is not on it).")
  static final class Remove extends EntryCommand {
    @Override
    Request request() {
      return new Request(
          "DELETE", path("suppressions", tenant == null ? NO_TENANT : tenant, address), null);
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      out.printf("removed %s for %s%n", text(body, "address"), who(text(body, "tenant")));
    }
  }

  /** A command on one entry: an address on a tenant's list. */
  abstract static class EntryCommand extends ApiCommand {
    @Parameters(paramLabel = "ADDRESS", description = "The recipient's address.")
    String address;

    @Option(
        names = "--tenant",
        paramLabel = "T",
        description = "The tenant (default, or '-': the entries without a tenant).")
    String tenant;

    /** The tenant as the API's JSON writes it: null for none. */
    String tenant() {
      return tenant == null || tenant.equals(NO_TENANT) ? null : tenant;
    }
  }

  private static String who(String tenant) {
    return tenant == null ? "mail without a tenant" : "tenant " + tenant;
  }
}
