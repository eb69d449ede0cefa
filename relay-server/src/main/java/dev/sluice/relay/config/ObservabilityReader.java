package dev.sluice.relay.config;

import dev.sluice.relay.events.EventTypes;
import dev.sluice.routing.config.SecretRef;
import dev.sluice.routing.config.YamlReader;
import dev.sluice.routing.units.ByteSize;
import dev.sluice.routing.units.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code logging:} and {@code webhooks:} sections of sluice.yaml; errors go to the shared
 * reader.
 */
final class ObservabilityReader {
  private static final List<String> LOGGING = List.of("format", "file", "max_size", "keep");
  private static final List<String> WEBHOOK =
      List.of(
          "url",
          "secret_file",
          "secret_env",
          "events",
          "timeout",
          "max_attempts",
          "backoff",
          "queue");
  private static final Map<String, LoggingConfig.Format> FORMATS = new LinkedHashMap<>();

  static {
    for (LoggingConfig.Format f : LoggingConfig.Format.values()) {
      FORMATS.put(f.name().toLowerCase(Locale.ROOT), f);
    }
  }

  private final YamlReader yaml;
  private final Path base;

  ObservabilityReader(YamlReader yaml, Path base) {
    this.yaml = yaml;
    this.base = base;
  }

  LoggingConfig logging(Node node) {
    LoggingConfig d = LoggingConfig.DEFAULTS;
    Optional<YamlReader.Fields> fields = yaml.fields(node, "logging", LOGGING);
    if (fields.isEmpty()) {
      return d;
    }
    YamlReader.Fields f = fields.get();
    LoggingConfig.Format format =
        f.get("format")
            .flatMap(n -> yaml.choice(n, "format of logging", FORMATS))
            .orElse(d.format());
    Optional<Path> file =
        f.get("file").flatMap(n -> yaml.string(n, "file of logging")).map(base::resolve);
    long maxSize = d.maxSize();
    if (f.has("max_size")) {
      Node n = f.get("max_size").get();
      Optional<Long> size = yaml.parsed(n, "max_size of logging", ByteSize::parse);
      if (size.isPresent() && size.get() < 1024) {
        yaml.error(n, "max_size of logging must be at least 1KB (e.g. 100MB)");
      } else if (size.isPresent()) {
        maxSize = size.get();
      }
    }
    int keep =
        f.get("keep")
            .map(n -> yaml.integer(n, "keep of logging", 0, 1000))
            .orElse(OptionalInt.of(d.keep()))
            .orElse(d.keep());
    if (file.isEmpty() && (f.has("max_size") || f.has("keep"))) {
      yaml.error(
          f.get("max_size").or(() -> f.get("keep")).get(),
          "max_size and keep of logging apply to a log file: set 'file' too, or remove them"
              + " (standard output is not rotated)");
    }
    return new LoggingConfig(format, file, maxSize, keep);
  }

  List<WebhookConfig> webhooks(Node node) {
    List<WebhookConfig> out = new ArrayList<>();
    for (Node n : yaml.list(node, "webhooks")) {
      webhook(n).ifPresent(out::add);
    }
    return out;
  }

  private Optional<WebhookConfig> webhook(Node node) {
    Optional<YamlReader.Fields> fields = yaml.fields(node, "a webhook", WEBHOOK);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (!f.has("url") || f.has("secret_file") == f.has("secret_env")) {
      yaml.error(
          node,
          "a webhook needs 'url' and one of 'secret_file' or 'secret_env' (the HMAC-SHA256"
              + " signing key), e.g. { url: \"https://hooks.example.com/sluice\", secret_env:"
              + " SLUICE_WEBHOOK_SECRET }");
      return Optional.empty();
    }
    Optional<URI> url = f.get("url").flatMap(this::url);
    Optional<SecretRef> secret =
        f.has("secret_env")
            ? f.get("secret_env").flatMap(this::variable).map(SecretRef.FromEnv::new)
            : f.get("secret_file")
                .flatMap(n -> yaml.string(n, "secret_file of a webhook"))
                .map(p -> new SecretRef.FromFile(base.resolve(p).toString()));
    Set<String> events = new LinkedHashSet<>();
    boolean eventsOk = f.get("events").map(n -> eventTypes(n, events)).orElse(true);
    Optional<Duration> timeout = duration(f, "timeout", WebhookConfig.DEFAULT_TIMEOUT);
    Optional<Duration> backoff = duration(f, "backoff", WebhookConfig.DEFAULT_BACKOFF);
    OptionalInt attempts =
        f.get("max_attempts")
            .map(n -> yaml.integer(n, "max_attempts of a webhook", 1, 100))
            .orElse(OptionalInt.of(WebhookConfig.DEFAULT_MAX_ATTEMPTS));
    OptionalInt queue =
        f.get("queue")
            .map(n -> yaml.integer(n, "queue of a webhook", 1, 1_000_000))
            .orElse(OptionalInt.of(WebhookConfig.DEFAULT_QUEUE));
    if (url.isEmpty()
        || secret.isEmpty()
        || !eventsOk
        || timeout.isEmpty()
        || backoff.isEmpty()
        || attempts.isEmpty()
        || queue.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new WebhookConfig(
            url.get(),
            secret.get(),
            events,
            timeout.get(),
            attempts.getAsInt(),
            backoff.get(),
            queue.getAsInt()));
  }

  /** An absolute http or https URL with a host. */
  private Optional<URI> url(Node node) {
    Optional<String> text = yaml.string(node, "url of a webhook");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getUserInfo() == null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    yaml.error(
        node,
        "url of a webhook must be an http:// or https:// URL with a host and no user:password"
            + " (e.g. \"https://hooks.example.com/sluice\")");
    return Optional.empty();
  }

  private boolean eventTypes(Node node, Set<String> into) {
    boolean ok = true;
    for (Node n : yaml.list(node, "events of a webhook")) {
      Optional<String> type = yaml.string(n, "events of a webhook");
      if (type.isPresent() && EventTypes.ALL.contains(type.get())) {
        into.add(type.get());
      } else if (type.isPresent()) {
        yaml.error(
            n,
            "unknown event type '"
                + type.get()
                + "' (known: "
                + String.join(", ", EventTypes.ALL)
                + ")");
        ok = false;
      } else {
        ok = false;
      }
    }
    return ok;
  }

  private Optional<Duration> duration(YamlReader.Fields f, String key, Duration fallback) {
    return f.has(key)
        ? yaml.parsed(f.get(key).get(), key + " of a webhook", Durations::parse)
        : Optional.of(fallback);
  }

  /** An environment variable name, as a shell would take it. */
  private Optional<String> variable(Node node) {
    Optional<String> name = yaml.string(node, "secret_env of a webhook");
    if (name.isPresent() && !name.get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
      yaml.error(
          node,
          "secret_env of a webhook must name an environment variable (letters, digits, _), e.g."
              + " SLUICE_WEBHOOK_SECRET");
      return Optional.empty();
    }
    return name;
  }
}
