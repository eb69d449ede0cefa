package dev.sluice.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice queue …}: what waits for delivery, and the operator's hand on one message (retry
 * now, bounce, delete). The actions answer 409 (exit 1) while a round of attempts is under way on
 * the message.
 */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    description = "Inspect the queue; retry, bounce or delete a message; retry many at once.",
    subcommands = {
      QueueCommand.Summary.class,
      QueueCommand.ListMessages.class,
      QueueCommand.ShowMessage.class,
      QueueCommand.Retry.class,
      QueueCommand.Flush.class,
      QueueCommand.Bounce.class,
      QueueCommand.Delete.class
    })
final class QueueCommand {
  private QueueCommand() {}

  @Command(
      name = "summary",
      mixinStandardHelpOptions = true,
      description = "Queue depth, and per member and destination what is ready to go.")
  static final class Summary extends ApiCommand {
    @Override
    Request request() {
      return Request.get(path("queues"));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      JsonNode s = body.path("summary");
      out.printf(
          "%d messages: %d waiting, %d ready, %d in flight, %d active%n",
          s.path("messages").asLong(),
          s.path("waiting").asLong(),
          s.path("ready").asLong(),
          s.path("in_flight").asLong(),
          s.path("active").asLong());
      Table table = new Table("POOL", "MEMBER", "DESTINATION", "READY", "OLDEST", "DRAIN");
      for (JsonNode p : body.path("paths")) {
        table.row(
            text(p, "pool"),
            text(p, "member"),
            text(p, "destination"),
            p.path("ready").asLong(),
            text(p, "oldest"),
            p.path("drain_seconds").isNumber() ? p.path("drain_seconds").asLong() + "s" : null);
      }
      table.print(out);
    }
  }

  /** Which messages: {@code --recipient} and {@code --sender}, as the API's query filters. */
  static final class Filters {
    @Option(
        names = "--recipient",
        paramLabel = "ADDRESS",
        description = "Only messages to this address, or to a domain written @example.com.")
    String recipient;

    @Option(
        names = "--sender",
        paramLabel = "ADDRESS",
        description = "Only messages from this address, or from a domain written @example.com.")
    String sender;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Messages in the queue, oldest first.")
  static final class ListMessages extends ApiCommand {
    @Mixin Filters filters;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most N (1 to 1000; default 100).")
    Integer limit;

    @Override
    Request request() {
      return Request.get(
          query(
              path("messages"),
              "recipient",
              filters.recipient,
              "sender",
              filters.sender,
              "limit",
              limit));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      Table table =
          new Table(
              "ID",
              "STATE",
              "ATTEMPTS",
              "RECEIVED",
              "NEXT ATTEMPT",
              "TENANT",
              "SENDER",
              "RECIPIENTS");
      for (JsonNode m : body.path("messages")) {
        table.row(
            text(m, "id"),
            text(m, "state"),
            m.path("attempts").asInt(),
            text(m, "received_at"),
            text(m, "next_attempt_at"),
            text(m, "tenant"),
            text(m, "sender"),
            join(m.path("recipients")));
      }
      table.print(out);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One message: envelope, recipients and the latest attempts.")
  static final class ShowMessage extends MessageCommand {
    @Override
    Request request() {
      return Request.get(path("messages", id));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      JsonNode e = body.path("envelope");
      out.printf(
          "message %s: %s, %d attempts, next at %s%n",
          text(body, "id"),
          text(body, "state"),
          body.path("attempts_count").asInt(),
          text(body, "next_attempt_at"));
      out.printf(
          "from %s (tenant %s), received %s, %d bytes%n",
          text(e, "sender"), text(e, "tenant"), text(e, "received_at"), e.path("size").asLong());
      if (!body.path("last_error").isNull()) {
        out.println("last error: " + text(body, "last_error"));
      }
      Table recipients = new Table("RECIPIENT", "STATE", "REPLY");
      body.path("recipients")
          .forEach(r -> recipients.row(text(r, "address"), text(r, "state"), text(r, "reply")));
      recipients.print(out);
      Table attempts = new Table("ATTEMPT AT", "POOL", "MEMBER", "DESTINATION", "RESULT");
      for (JsonNode a : body.path("attempts")) {
        List<String> results = new ArrayList<>();
        a.path("recipients")
            .forEach(o -> results.add(text(o, "address") + " " + text(o, "disposition")));
        attempts.row(
            text(a, "at"),
            text(a, "pool"),
            text(a, "member"),
            text(a, "destination"),
            a.path("path_failure").isNull() ? String.join(", ", results) : text(a, "path_failure"));
      }
      attempts.print(out);
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Start a round of attempts on a message now.")
  static final class Retry extends MessageCommand {
    @Override
    Request request() {
      return new Request("POST", path("messages", id, "retry"), null);
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      out.println("retry of " + id + " scheduled");
    }
  }

  @Command(
      name = "flush",
      mixinStandardHelpOptions = true,
      description =
          "Start a round of attempts now on every queued message, or on those the filters find.")
  static final class Flush extends ApiCommand {
    @Mixin Filters filters;

    @Override
    Request request() {
      return new Request(
          "POST",
          query(
              path("messages", "retry"), "recipient", filters.recipient, "sender", filters.sender),
          null);
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      out.printf(
          "%d messages retried now, %d already in flight%n",
          body.path("retried").asLong(), body.path("in_flight").asLong());
    }
  }

  @Command(
      name = "bounce",
      mixinStandardHelpOptions = true,
      description = "Bounce every recipient left (the sender gets a DSN) and drop the message.")
  static final class Bounce extends MessageCommand {
    @Option(names = "--reason", paramLabel = "TEXT", description = "Put in the bounce reply.")
    String reason;

    @Override
    Request request() {
      return new Request(
          "POST",
          path("messages", id, "bounce"),
          reason == null ? Map.of() : Map.of("reason", reason));
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      out.println(id + " bounced");
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Drop a message from the queue and the spool, without a DSN.")
  static final class Delete extends MessageCommand {
    @Override
    Request request() {
      return new Request("DELETE", path("messages", id), null);
    }

    @Override
    void print(PrintWriter out, JsonNode body) {
      out.println(id + " deleted");
    }
  }

  /** A command on one message, named by its queue id. */
  abstract static class MessageCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The message's queue id.")
    String id;
  }
}
