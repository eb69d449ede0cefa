package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice pool …}: pools and their members as running, and the operator's overrides (suspend,
 * resume, weight), which the daemon keeps across restarts.
 */
@Command(
    name = "pool",
    mixinStandardHelpOptions = true,
    description = "Show pools and members; suspend, resume and reweigh members at run time.",
    subcommands = {
      PoolCommand.ListPools.class,
      PoolCommand.ShowPool.class,
      PoolCommand.Suspend.class,
      PoolCommand.Resume.class,
      PoolCommand.Weight.class
    })
final class PoolCommand {
  private static final Object[] MEMBER_COLUMNS = {
    "MEMBER", "STATUS", "WEIGHT/EFF", "HOUR", "DAY", "RATE/MIN", "CONNS", "LAST ERROR"
  };

  private PoolCommand() {}

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every member of every pool.")
  static final class ListPools extends ApiCommand {
    @Override
    Request request() {
      return Request.get(path("pools"));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      Table table = new Table(withPool("POOL", MEMBER_COLUMNS));
      for (JsonNode pool : body.path("pools")) {
        for (JsonNode member : pool.path("members")) {
          table.row(withPool(pool.path("name").asText(), memberCells(member)));
        }
      }
      table.print(out);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One pool and its members.")
  static final class ShowPool extends ApiCommand {
    @Parameters(paramLabel = "POOL", description = "The pool's name in routes.yaml.")
    String pool;

    @Override
    Request request() {
      return Request.get(path("pools", pool));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      JsonNode totals = body.path("totals");
      out.printf(
          "pool %s: %d members, %d active, %d inactive; fallback: %s%n",
          body.path("name").asText(),
          totals.path("members").asInt(),
          totals.path("active").asInt(),
          totals.path("inactive").asInt(),
          body.path("fallback").isEmpty() ? "none" : join(body.path("fallback")));
      printMembers(out, body.path("members"));
    }
  }

  @Command(
      name = "suspend",
      mixinStandardHelpOptions = true,
      description = "Take a member out of every pool until resumed (kept across restarts).")
  static final class Suspend extends MemberCommand {
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, shown with the override.")
    String reason;

    @Override
    Request request() {
      return new Request(
          "POST",
          path("members", member, "suspend"),
          reason == null ? Map.of() : Map.of("reason", reason));
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Let a suspended member take traffic again.")
  static final class Resume extends MemberCommand {
    @Override
    Request request() {
      return new Request("POST", path("members", member, "resume"), null);
    }
  }

  @Command(
      name = "weight",
      mixinStandardHelpOptions = true,
      description = "Set a member's weight over routes.yaml's, or --clear to go back to it.")
  static final class Weight extends MemberCommand {
    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "N",
        description = "The weight, 1 or more.")
    Integer weight;

    @Option(names = "--clear", description = "Remove the override: routes.yaml's weight applies.")
    boolean clear;

    @Override
    Request request() {
      if (clear == (weight != null)) {
        throw new ParameterException(spec.commandLine(), "give either a weight N or --clear");
      }
      String path = path("members", member, "weight");
      return clear
          ? new Request("DELETE", path, null)
          : new Request("PUT", path, Map.of("weight", weight));
    }
  }

  /** An override on one member; the answer is the member as running afterwards. */
  abstract static class MemberCommand extends ApiCommand {
    @Parameters(
        index = "0",
        paramLabel = "MEMBER",
        description = "The member's name in routes.yaml.")
    String member;

    @Override
    void print(PrintWriter out, JsonNode body) {
      printMembers(out, List.of(body));
    }
  }

  private static void printMembers(PrintWriter out, Iterable<JsonNode> members) {
    Table table = new Table(MEMBER_COLUMNS);
    members.forEach(m -> table.row(memberCells(m)));
    table.print(out);
  }

  private static Object[] memberCells(JsonNode m) {
    return new Object[] {
      m.path("name").asText(),
      m.path("status").asText(),
      m.path("weight").asInt() + "/" + number(m.path("effective_weight").asDouble()),
      quota(m, "hour"),
      quota(m, "day"),
      number(m.path("rate_per_minute").asDouble()),
      m.path("connections").asInt(),
      ApiCommand.text(m.path("last_error"), "reply")
    };
  }

  /** {@code used/limit} of the member's quota in {@code window}, or null when it has none. */
  private static String quota(JsonNode member, String window) {
    for (JsonNode q : member.path("quota")) {
      if (window.equals(q.path("window").asText())) {
        return q.path("used").asLong() + "/" + q.path("limit").asLong();
      }
    }
    return null;
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
  }

  private static Object[] withPool(Object pool, Object[] rest) {
    Object[] cells = new Object[rest.length + 1];
    cells[0] = pool;
    System.arraycopy(rest, 0, cells, 1, rest.length);
    return cells;
  }
}
