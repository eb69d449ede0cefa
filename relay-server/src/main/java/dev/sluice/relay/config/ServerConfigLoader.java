package dev.sluice.relay.config;

import dev.sluice.relay.dkim.DkimKey;
import dev.sluice.relay.smtp.in.ListenerMode;
import dev.sluice.relay.spool.SpoolOptions;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.YamlReader;
import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.net.IpLiterals;
import dev.sluice.routing.units.ByteSize;
import dev.sluice.routing.units.Durations;
import dev.sluice.routing.units.Rate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads {@code sluice.yaml} into a {@link ServerConfig}, reporting every problem as {@code
 * file:line:column: message}. {@link #defaults} is the configuration {@code sluice run} uses
 * without a file.
 */
public final class ServerConfigLoader {
  private static final List<String> TOP =
      List.of(
          "hostname",
          "listeners",
          "trusted_networks",
          "tls",
          "spool",
          "limits",
          "auth",
          "admin",
          "dns",
          "routes",
          "add_missing_headers",
          "delivery",
          "suppression",
          "dkim",
          "cluster",
          "logging",
          "webhooks",
          "io_threads");
  private static final List<String> DKIM = List.of("domain", "selector", "key");
  private static final List<String> SUPPRESSION = List.of("refuse_at_rcpt");
  private static final List<String> LISTENER = List.of("name", "address", "mode");
  private static final List<String> TLS = List.of("certificate", "key");
  private static final List<String> SPOOL = List.of("dir", "min_free", "segment_size");
  private static final long MIN_SEGMENT_BYTES = 64L << 10;
  private static final long MAX_SEGMENT_BYTES = 1L << 30;
  private static final List<String> LIMITS =
      List.of(
          "max_message_size",
          "max_recipients",
          "max_connections",
          "max_connections_per_ip",
          "max_connection_rate_per_ip",
          "max_errors",
          "max_line_length",
          "command_timeout",
          "data_timeout");
  private static final List<String> AUTH = List.of("max_failures", "window");
  private static final List<String> ADMIN = List.of("address", "token_file");
  private static final List<String> DNS = List.of("resolvers", "timeout");
  private static final Map<String, ListenerMode> MODES = new LinkedHashMap<>();

  static {
    for (ListenerMode m : ListenerMode.values()) {
      MODES.put(m.name().toLowerCase(Locale.ROOT), m);
    }
  }

  private final YamlReader yaml;
  private final Path base;

  private ServerConfigLoader(String file, Path base) {
    this.yaml = new YamlReader(file);
    this.base = base;
  }

  /** DESIGN.md's defaults: relay on 127.0.0.1:2525, submission on :2587, admin on :8025. */
  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(
        localHostname(),
        List.of(
            new ServerConfig.ListenerConfig(
                "relay", new InetSocketAddress("127.0.0.1", 2525), ListenerMode.RELAY),
            new ServerConfig.ListenerConfig(
                "submission", new InetSocketAddress("127.0.0.1", 2587), ListenerMode.SUBMISSION)),
        List.of(Cidr.parse("127.0.0.1/32")),
        Optional.empty(),
        dataDir.resolve("spool"),
        100L << 20,
        SpoolOptions.DEFAULT_SEGMENT_BYTES,
        ServerConfig.IngressLimits.DEFAULTS,
        ServerConfig.AuthThrottleConfig.DEFAULTS,
        new InetSocketAddress("127.0.0.1", 8025),
        Optional.empty(),
        List.of(),
        ServerConfig.DEFAULT_DNS_TIMEOUT,
        Optional.empty(),
        true,
        DeliveryConfig.DEFAULTS,
        true,
        List.of(),
        Optional.empty(),
        LoggingConfig.DEFAULTS,
        List.of(),
        ServerConfig.defaultIoThreads());
  }

  public static ServerConfig load(Path file) throws ConfigException, IOException {
    Path absolute = file.toAbsolutePath();
    return new ServerConfigLoader(file.toString(), absolute.getParent())
        .read(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Loads YAML text whose relative paths are relative to {@code base}. */
  public static ServerConfig load(String fileName, String text, Path base) throws ConfigException {
    return new ServerConfigLoader(fileName, base).read(text);
  }

  private ServerConfig read(String text) throws ConfigException {
    ServerConfig config =
        yaml.compose(text)
            .flatMap(r -> yaml.fields(r, "sluice.yaml", TOP))
            .map(this::document)
            .orElse(null);
    if (config == null && yaml.errors().isEmpty()) {
      yaml.errors()
          .add(
              new ConfigError(
                  yaml.file(), 1, 1, "the file is empty: it needs at least 'listeners'"));
    }
    if (!yaml.errors().isEmpty()) {
      List<ConfigError> sorted = new ArrayList<>(yaml.errors());
      Collections.sort(sorted);
      throw new ConfigException(sorted);
    }
    return config;
  }

  private ServerConfig document(YamlReader.Fields top) {
    ServerConfig d = defaults(base.resolve("var"));
    String hostname =
        top.get("hostname").flatMap(n -> yaml.string(n, "hostname")).orElse(d.hostname());
    List<ServerConfig.ListenerConfig> listeners = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (top.get("listeners").isEmpty()) {
      yaml.error(
          top.node(),
          "sluice.yaml needs 'listeners' (e.g. { name: relay, address: \"127.0.0.1:2525\", mode: relay })");
    }
    for (Node n : top.get("listeners").map(x -> yaml.list(x, "listeners")).orElse(List.of())) {
      listener(n)
          .ifPresent(
              l -> {
                if (!names.add(l.name())) {
                  yaml.error(n, "duplicate listener name '" + l.name() + "'");
                } else {
                  listeners.add(l);
                }
              });
    }
    List<Cidr> trusted = new ArrayList<>();
    Optional<Node> trustedNode = top.get("trusted_networks");
    if (trustedNode.isPresent()) {
      for (Node n : yaml.list(trustedNode.get(), "trusted_networks")) {
        yaml.parsed(n, "trusted_networks", Cidr::parse).ifPresent(trusted::add);
      }
    } else {
      trusted.addAll(d.trustedNetworks());
    }
    Optional<ServerConfig.TlsFiles> tls = top.get("tls").flatMap(this::tls);
    Path spoolDir = d.spoolDir();
    long minFree = d.spoolMinFreeBytes();
    long segmentSize = d.spoolSegmentBytes();
    if (top.get("spool").isPresent()) {
      Optional<YamlReader.Fields> f = yaml.fields(top.get("spool").get(), "spool", SPOOL);
      if (f.isPresent()) {
        spoolDir =
            f.get()
                .get("dir")
                .flatMap(n -> yaml.string(n, "dir of spool"))
                .map(base::resolve)
                .orElse(spoolDir);
        minFree =
            f.get()
                .get("min_free")
                .flatMap(n -> yaml.parsed(n, "min_free of spool", ByteSize::parse))
                .orElse(minFree);
        segmentSize =
            f.get()
                .get("segment_size")
                .flatMap(
                    n -> yaml.parsed(n, "segment_size of spool", ServerConfigLoader::segmentSize))
                .orElse(segmentSize);
      }
    }
    ServerConfig.IngressLimits limits = top.get("limits").map(this::limits).orElse(d.limits());
    ServerConfig.AuthThrottleConfig auth = top.get("auth").map(this::auth).orElse(d.authThrottle());
    InetSocketAddress adminAddress = d.adminAddress();
    Optional<Path> token = Optional.empty();
    if (top.get("admin").isPresent()) {
      Optional<YamlReader.Fields> f = yaml.fields(top.get("admin").get(), "admin", ADMIN);
      if (f.isPresent()) {
        adminAddress =
            f.get()
                .get("address")
                .flatMap(n -> address(n, "address of admin"))
                .orElse(adminAddress);
        token =
            f.get()
                .get("token_file")
                .flatMap(n -> yaml.string(n, "token_file of admin"))
                .map(base::resolve);
      }
    }
    List<String> resolvers = new ArrayList<>();
    Optional<YamlReader.Fields> dns = top.get("dns").flatMap(n -> yaml.fields(n, "dns", DNS));
    dns.flatMap(f -> f.get("resolvers"))
        .ifPresent(
            n -> {
              for (Node r : yaml.list(n, "resolvers of dns")) {
                address(r, "resolvers of dns")
                    .ifPresent(a -> resolvers.add(a.getHostString() + ":" + a.getPort()));
              }
            });
    Duration dnsTimeout =
        dns.map(f -> duration(f, "timeout", d.dnsTimeout())).orElse(d.dnsTimeout());
    Optional<Path> routes =
        top.get("routes").flatMap(n -> yaml.string(n, "routes")).map(base::resolve);
    boolean addMissing =
        top.get("add_missing_headers")
            .flatMap(n -> yaml.bool(n, "add_missing_headers"))
            .orElse(d.addMissingHeaders());
    DeliveryConfig delivery =
        top.get("delivery").map(n -> new DeliveryReader(yaml, base).read(n)).orElse(d.delivery());
    boolean refuseSuppressed =
        top.get("suppression")
            .flatMap(n -> yaml.fields(n, "suppression", SUPPRESSION))
            .flatMap(f -> f.get("refuse_at_rcpt"))
            .flatMap(n -> yaml.bool(n, "refuse_at_rcpt of suppression"))
            .orElse(d.refuseSuppressed());
    List<DkimKey> dkim = new ArrayList<>();
    for (Node n : top.get("dkim").map(x -> yaml.list(x, "dkim")).orElse(List.of())) {
      dkimKey(n).ifPresent(dkim::add);
    }
    Optional<ClusterConfig> cluster = top.get("cluster").flatMap(new ClusterReader(yaml)::read);
    ObservabilityReader observability = new ObservabilityReader(yaml, base);
    LoggingConfig logging = top.get("logging").map(observability::logging).orElse(d.logging());
    List<WebhookConfig> webhooks =
        top.get("webhooks").map(observability::webhooks).orElse(d.webhooks());
    int ioThreads = integer(top, "io_threads", 1, ServerConfig.MAX_IO_THREADS, d.ioThreads());
    return new ServerConfig(
        hostname,
        listeners,
        trusted,
        tls,
        spoolDir,
        minFree,
        segmentSize,
        limits,
        auth,
        adminAddress,
        token,
        resolvers,
        dnsTimeout,
        routes,
        addMissing,
        delivery,
        refuseSuppressed,
        dkim,
        cluster,
        logging,
        webhooks,
        ioThreads);
  }

  private Optional<ServerConfig.ListenerConfig> listener(Node node) {
    Optional<YamlReader.Fields> fields = yaml.fields(node, "a listener", LISTENER);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (!f.has("name") || !f.has("address") || !f.has("mode")) {
      yaml.error(
          node, "a listener needs 'name', 'address' and 'mode' (relay, submission or submissions)");
      return Optional.empty();
    }
    Optional<String> name = f.get("name").flatMap(n -> yaml.string(n, "name of a listener"));
    String what = "listener '" + name.orElse("?") + "'";
    Optional<InetSocketAddress> address =
        f.get("address").flatMap(n -> address(n, "address of " + what));
    Optional<ListenerMode> mode =
        f.get("mode").flatMap(n -> yaml.choice(n, "mode of " + what, MODES));
    if (name.isEmpty() || address.isEmpty() || mode.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServerConfig.ListenerConfig(name.get(), address.get(), mode.get()));
  }

  /** {@code { domain: example.com, selector: s2026, key: /etc/sluice/dkim/example.com.pem }}. */
  private Optional<DkimKey> dkimKey(Node node) {
    Optional<YamlReader.Fields> fields = yaml.fields(node, "a dkim key", DKIM);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (!f.has("domain") || !f.has("selector") || !f.has("key")) {
      yaml.error(node, "a dkim key needs 'domain', 'selector' and 'key' (a PEM private key file)");
      return Optional.empty();
    }
    Optional<String> domain =
        f.get("domain")
            .flatMap(
                n ->
                    yaml.string(
                        n,
                        "domain of a dkim key",
                        d -> DkimKey.aLabel(d).isPresent(),
                        "a domain name (e.g. example.com or b\u00fccher.example)"));
    Optional<String> selector =
        f.get("selector")
            .flatMap(
                n ->
                    yaml.string(
                        n,
                        "selector of a dkim key",
                        DkimKey::isSelector,
                        "a selector of letters, digits, '-' and '.' (e.g. s2026)"));
    Optional<String> key = f.get("key").flatMap(n -> yaml.string(n, "key of a dkim key"));
    if (domain.isEmpty() || selector.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DkimKey(domain.get(), selector.get(), base.resolve(key.get())));
  }

  /** {@code HOST:PORT} with an IP literal host ({@code [::1]:25} for IPv6). */
  private Optional<InetSocketAddress> address(Node node, String what) {
    Optional<String> text = yaml.string(node, what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String s = text.get();
    int colon = s.lastIndexOf(':');
    if (colon > 0 && s.substring(colon + 1).matches("\\d{1,5}")) {
      String host = s.substring(0, colon);
      int port = Integer.parseInt(s.substring(colon + 1));
      Optional<byte[]> ip = IpLiterals.parse(host);
      if (ip.isPresent() && port <= 65_535) {
        try {
          return Optional.of(new InetSocketAddress(InetAddress.getByAddress(ip.get()), port));
        } catch (UnknownHostException e) {
          // unreachable: getByAddress only fails on a bad length
        }
      }
    }
    yaml.error(
        node, what + ": '" + s + "' is not IP:PORT (e.g. \"127.0.0.1:2525\" or \"[::1]:2525\")");
    return Optional.empty();
  }

  private Optional<ServerConfig.TlsFiles> tls(Node node) {
    return yaml.fields(node, "tls", TLS)
        .flatMap(
            f -> {
              if (!f.has("certificate") || !f.has("key")) {
                yaml.error(node, "tls needs both 'certificate' and 'key' (PEM files)");
                return Optional.empty();
              }
              Optional<String> cert =
                  f.get("certificate").flatMap(n -> yaml.string(n, "certificate of tls"));
              Optional<String> key = f.get("key").flatMap(n -> yaml.string(n, "key of tls"));
              return cert.flatMap(
                  c -> key.map(k -> new ServerConfig.TlsFiles(base.resolve(c), base.resolve(k))));
            });
  }

  /** A rate such as {@code 60/min}, or {@code off}: no limit. */
  private static Optional<Rate> rateOrOff(String text) {
    return text.strip().equalsIgnoreCase("off") ? Optional.empty() : Optional.of(Rate.parse(text));
  }

  /**
   * A body segment size: at least 64 KB (smaller only multiplies files and fsyncs of their
   * directory), at most 1 GB (a segment is deleted only once all its messages are gone).
   */
  private static long segmentSize(String text) {
    long bytes = ByteSize.parse(text);
    if (bytes < MIN_SEGMENT_BYTES || bytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("must be between 64KB and 1GB, not " + text);
    }
    return bytes;
  }

  private ServerConfig.IngressLimits limits(Node node) {
    ServerConfig.IngressLimits d = ServerConfig.IngressLimits.DEFAULTS;
    return yaml.fields(node, "limits", LIMITS)
        .map(
            f ->
                new ServerConfig.IngressLimits(
                    f.get("max_message_size")
                        .flatMap(
                            n ->
                                yaml.parsed(
                                    n,
                                    "max_message_size of limits",
                                    ServerConfigLoader::messageSize))
                        .orElse(d.maxMessageSize()),
                    integer(f, "max_recipients", 1, 100_000, d.maxRecipients()),
                    integer(f, "max_connections", 1, 1_000_000, d.maxConnections()),
                    integer(f, "max_connections_per_ip", 1, 1_000_000, d.maxConnectionsPerIp()),
                    f.get("max_connection_rate_per_ip")
                        .flatMap(
                            n ->
                                yaml.parsed(
                                    n,
                                    "max_connection_rate_per_ip of limits",
                                    ServerConfigLoader::rateOrOff))
                        .orElse(d.connectionRatePerIp()),
                    integer(f, "max_errors", 1, 1_000, d.maxErrors()),
                    integer(f, "max_line_length", 78, 1_000_000, d.maxLineLength()),
                    duration(f, "command_timeout", d.commandTimeout()),
                    duration(f, "data_timeout", d.dataTimeout())))
        .orElse(d);
  }

  /** At least 1 KB: EHLO announces it, and SIZE 0 would mean "no limit" (RFC 1870 §4). */
  private static long messageSize(String text) {
    long bytes = ByteSize.parse(text);
    if (bytes < 1024) {
      throw new IllegalArgumentException("'" + text + "' is too small; at least 1KB");
    }
    return bytes;
  }

  private ServerConfig.AuthThrottleConfig auth(Node node) {
    ServerConfig.AuthThrottleConfig d = ServerConfig.AuthThrottleConfig.DEFAULTS;
    return yaml.fields(node, "auth", AUTH)
        .map(
            f ->
                new ServerConfig.AuthThrottleConfig(
                    integer(f, "max_failures", 1, 1_000, d.maxFailures()),
                    duration(f, "window", d.window())))
        .orElse(d);
  }

  private int integer(YamlReader.Fields f, String key, int min, int max, int fallback) {
    return f.get(key)
        .map(n -> yaml.integer(n, key, min, max))
        .orElse(OptionalInt.of(fallback))
        .orElse(fallback);
  }

  private Duration duration(YamlReader.Fields f, String key, Duration fallback) {
    return f.get(key).flatMap(n -> yaml.parsed(n, key, Durations::parse)).orElse(fallback);
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
