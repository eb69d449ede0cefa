package dev.sluice.relay.config;

import dev.sluice.relay.queue.SchedulerSettings;
import dev.sluice.relay.smtp.out.ClientTimeouts;
import dev.sluice.routing.config.YamlReader;
import dev.sluice.routing.retry.RetrySchedule;
import dev.sluice.routing.units.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code delivery:} section of sluice.yaml; errors go to the shared reader. */
final class DeliveryReader {
  static final List<String> KEYS =
      List.of(
          "smtp_port",
          "retry",
          "max_age",
          "max_connections",
          "max_connections_per_destination",
          "max_recipients_per_transaction",
          "max_active_messages",
          "connect_timeout",
          "command_timeout",
          "data_timeout",
          "idle_timeout",
          "max_messages_per_connection",
          "tls_trust",
          "shutdown_grace");

  private final YamlReader yaml;
  private final Path base;

  DeliveryReader(YamlReader yaml, Path base) {
    this.yaml = yaml;
    this.base = base;
  }

  DeliveryConfig read(Node node) {
    DeliveryConfig d = DeliveryConfig.DEFAULTS;
    Optional<YamlReader.Fields> fields = yaml.fields(node, "delivery", KEYS);
    if (fields.isEmpty()) {
      return d;
    }
    YamlReader.Fields f = fields.get();
    SchedulerSettings s = d.scheduler();
    List<Duration> delays = s.retry().delays();
    if (f.has("retry")) {
      List<Duration> read = new ArrayList<>();
      for (Node n : yaml.list(f.get("retry").get(), "retry of delivery")) {
        positive(n, "retry of delivery").ifPresent(read::add);
      }
      if (read.isEmpty()) {
        yaml.error(
            f.get("retry").get(), "retry of delivery needs at least one delay, e.g. [5m, 30m, 2h]");
      } else {
        delays = read;
      }
    }
    Duration maxAge = duration(f, "max_age", s.retry().maxAge());
    SchedulerSettings scheduler =
        new SchedulerSettings(
            new RetrySchedule(delays, maxAge),
            integer(f, "max_connections", 1, 100_000, s.maxConnections()),
            integer(
                f, "max_connections_per_destination", 1, 100_000, s.maxConnectionsPerDestination()),
            integer(f, "max_active_messages", 1, 10_000_000, s.maxActiveMessages()),
            integer(
                f, "max_recipients_per_transaction", 1, 10_000, s.maxRecipientsPerTransaction()),
            duration(f, "shutdown_grace", s.shutdownGrace()));
    ClientTimeouts t = d.timeouts();
    Duration command = duration(f, "command_timeout", t.command());
    ClientTimeouts timeouts =
        new ClientTimeouts(
            duration(f, "connect_timeout", t.connect()),
            command,
            command,
            command.compareTo(t.dataStart()) < 0 ? command : t.dataStart(),
            command.compareTo(t.dataBlock()) < 0 ? command : t.dataBlock(),
            duration(f, "data_timeout", t.dataEnd()));
    return new DeliveryConfig(
        integer(f, "smtp_port", 1, 65_535, d.smtpPort()),
        scheduler,
        timeouts,
        duration(f, "idle_timeout", d.idleTimeout()),
        integer(f, "max_messages_per_connection", 1, 1_000_000, d.maxMessagesPerConnection()),
        f.get("tls_trust")
            .flatMap(n -> yaml.string(n, "tls_trust of delivery"))
            .map(base::resolve));
  }

  private int integer(YamlReader.Fields f, String key, int min, int max, int fallback) {
    return f.get(key)
        .map(n -> yaml.integer(n, key + " of delivery", min, max))
        .orElse(OptionalInt.of(fallback))
        .orElse(fallback);
  }

  private Duration duration(YamlReader.Fields f, String key, Duration fallback) {
    return f.get(key).flatMap(n -> positive(n, key + " of delivery")).orElse(fallback);
  }

  private Optional<Duration> positive(Node n, String what) {
    Optional<Duration> d = yaml.parsed(n, what, Durations::parse);
    if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
      yaml.error(n, what + " must be longer than zero");
      return Optional.empty();
    }
    return d;
  }
}
