package dev.sluice.routing.config;

import dev.sluice.routing.net.IpLiterals;
import dev.sluice.routing.rules.AlwaysMatcher;
import dev.sluice.routing.rules.Matcher;
import dev.sluice.routing.units.Counts;
import dev.sluice.routing.units.Percent;
import dev.sluice.routing.units.Rate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads {@code routes.yaml} into a validated {@link RoutesConfig}, or fails with every problem
 * found, each at its line and column. Stateless; one instance per load.
 */
public final class RoutesLoader {
  private static final List<String> TOP_KEYS =
      List.of("routing", "traffic", "destinations", "pools", "tenants", "rules");
  private static final List<String> ROUTING_KEYS =
      List.of(
          "route_header",
          "message_type_header",
          "default_message_type",
          "priority_header",
          "default_priority",
          "time_zone",
          "strip_routing_headers");
  private static final List<String> DESTINATION_KEYS =
      List.of(
          "domains",
          "mx_suffixes",
          "connections",
          "rate",
          "messages_per_connection",
          "tls",
          "responses",
          "description");

  /** MX hosts are reached on port 25: implicit TLS is not a choice there. */
  private static final Map<String, TlsMode> DESTINATION_TLS = new LinkedHashMap<>();

  static {
    DESTINATION_TLS.put("opportunistic", TlsMode.OPPORTUNISTIC);
    DESTINATION_TLS.put("required", TlsMode.REQUIRED);
    DESTINATION_TLS.put("none", TlsMode.NONE);
  }

  private static final List<String> RULE_KEYS = List.of("name", "match", "route", "description");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]+"); // RFC 5322 §3.6.8

  private final YamlReader yaml;
  private RoutingSettings settings = RoutingSettings.DEFAULTS;
  private Set<String> poolNames = Set.of();
  private Set<String> tenantNames = Set.of();

  private RoutesLoader(String file) {
    this.yaml = new YamlReader(file);
  }

  /** Loads a file; its path as given is the file name in error messages. */
  public static RoutesConfig load(Path file) throws ConfigException, IOException {
    return load(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Loads YAML text; {@code fileName} is what error messages call it. */
  public static RoutesConfig load(String fileName, String text) throws ConfigException {
    return new RoutesLoader(fileName).read(text);
  }

  private RoutesConfig read(String text) throws ConfigException {
    Optional<Node> root = yaml.compose(text);
    RoutesConfig config = null;
    if (root.isPresent()) {
      config =
          root.flatMap(r -> yaml.fields(r, "routes.yaml", TOP_KEYS))
              .map(this::document)
              .orElse(null);
    } else if (yaml.errors().isEmpty()) {
      yaml.errors()
          .add(
              new ConfigError(
                  yaml.file(), 1, 1, "the file is empty: it needs 'pools' and 'rules'"));
    }
    if (!yaml.errors().isEmpty() || config == null) {
      List<ConfigError> sorted = new ArrayList<>(yaml.errors());
      Collections.sort(sorted);
      throw new ConfigException(sorted);
    }
    return config;
  }

  private RoutesConfig document(YamlReader.Fields top) {
    top.get("routing").ifPresent(this::routing);
    TrafficSettings traffic =
        top.get("traffic")
            .map(n -> new TrafficReader(yaml).read(n))
            .orElse(TrafficSettings.DEFAULTS);
    Map<String, DestinationConfig> destinations = new LinkedHashMap<>();
    top.get("destinations").ifPresent(n -> destinations.putAll(destinations(n)));
    // Names first, so that references between sections resolve whatever their order.
    poolNames = top.get("pools").map(YamlReader::keys).orElse(Set.of());
    tenantNames = top.get("tenants").map(YamlReader::keys).orElse(Set.of());
    Map<String, PoolConfig> pools = new LinkedHashMap<>();
    if (top.get("pools").isEmpty()) {
      yaml.error(top.node(), "routes.yaml needs 'pools' (at least one pool with members)");
    }
    PoolReader poolReader = new PoolReader(yaml, poolNames, tenantNames);
    top.get("pools").ifPresent(n -> pools.putAll(poolReader.read(n)));
    checkFallbacks(pools, poolReader);
    Map<String, TenantConfig> tenants = new LinkedHashMap<>();
    top.get("tenants").ifPresent(n -> tenants.putAll(new TenantReader(yaml, poolNames).read(n)));
    List<RuleConfig> rules = new ArrayList<>();
    if (top.get("rules").isEmpty()) {
      yaml.error(
          top.node(), "routes.yaml needs 'rules' (end with a catch-all rule without 'match')");
    }
    MatchParser matches =
        new MatchParser(yaml, destinations.keySet(), tenantNames, settings.timeZone());
    top.get("rules").ifPresent(n -> rules.addAll(rules(n, matches)));
    return new RoutesConfig(settings, destinations, pools, tenants, rules, traffic);
  }

  private void routing(Node node) {
    yaml.fields(node, "routing", ROUTING_KEYS)
        .ifPresent(
            f -> {
              RoutingSettings d = RoutingSettings.DEFAULTS;
              settings =
                  new RoutingSettings(
                      header(f, "route_header", d.routeHeader()),
                      header(f, "message_type_header", d.messageTypeHeader()),
                      f.get("default_message_type")
                          .flatMap(n -> yaml.string(n, "default_message_type"))
                          .map(t -> t.toLowerCase(java.util.Locale.ROOT))
                          .orElse(d.defaultMessageType()),
                      header(f, "priority_header", d.priorityHeader()),
                      f.get("default_priority")
                          .map(n -> yaml.integer(n, "default_priority", 1, 10))
                          .orElse(OptionalInt.of(d.defaultPriority()))
                          .orElse(d.defaultPriority()),
                      f.get("time_zone")
                          .flatMap(n -> yaml.parsed(n, "time_zone", MatchParser::zone))
                          .orElse(d.timeZone()),
                      f.get("strip_routing_headers")
                          .flatMap(n -> yaml.bool(n, "strip_routing_headers"))
                          .orElse(d.stripRoutingHeaders()));
            });
  }

  private String header(YamlReader.Fields f, String key, String fallback) {
    Optional<Node> node = f.get(key);
    if (node.isEmpty()) {
      return fallback;
    }
    Optional<String> value = yaml.string(node.get(), key);
    if (value.isPresent() && !HEADER_NAME.matcher(value.get()).matches()) {
      yaml.error(node.get(), key + ": '" + value.get() + "' is not a header name");
      return fallback;
    }
    return value.orElse(fallback);
  }

  private Map<String, DestinationConfig> destinations(Node node) {
    Map<String, DestinationConfig> out = new LinkedHashMap<>();
    Map<String, String> claimedBy = new LinkedHashMap<>();
    Map<String, String> mxClaimedBy = new LinkedHashMap<>();
    ResponseReader responses = new ResponseReader(yaml);
    for (YamlReader.Entry e : yaml.entries(node, "destinations").orElse(Map.of()).values()) {
      String what = "destination '" + e.key() + "'";
      if (!checkName(e, "destination")) {
        continue;
      }
      yaml.fields(e.value(), what, DESTINATION_KEYS)
          .ifPresent(
              f -> {
                List<String> domains = new ArrayList<>();
                for (Node d :
                    f.get("domains")
                        .map(n -> yaml.list(n, "domains of " + what))
                        .orElse(List.of())) {
                  yaml.string(d, "domains of " + what)
                      .ifPresent(
                          text -> {
                            String domain = dev.sluice.routing.rules.DomainSet.normalize(text);
                            if (!DomainNames.isPattern(domain)) {
                              yaml.error(
                                  d,
                                  what + ": '" + text + "' is not a domain or *.domain wildcard");
                            } else if (claimedBy.containsKey(domain)) {
                              yaml.error(
                                  d,
                                  what
                                      + ": '"
                                      + domain
                                      + "' already belongs to destination '"
                                      + claimedBy.get(domain)
                                      + "'");
                            } else {
                              claimedBy.put(domain, e.key());
                              domains.add(domain);
                            }
                          });
                }
                List<String> suffixes = new ArrayList<>();
                for (Node s :
                    f.get("mx_suffixes")
                        .map(n -> yaml.list(n, "mx_suffixes of " + what))
                        .orElse(List.of())) {
                  yaml.string(s, "mx_suffixes of " + what)
                      .ifPresent(
                          text -> {
                            // compared as the MX host is: lower-case A-labels, no root dot
                            String suffix =
                                "."
                                    + dev.sluice.routing.rules.DomainSet.normalize(
                                        text.startsWith(".") ? text.substring(1) : text);
                            if (!DomainNames.isSuffix(text)) {
                              yaml.error(
                                  s,
                                  what
                                      + ": '"
                                      + text
                                      + "' is not an MX host suffix such as .google.com");
                            } else if (mxClaimedBy.containsKey(suffix)) {
                              yaml.error(
                                  s,
                                  what
                                      + ": MX suffix '"
                                      + suffix
                                      + "' already belongs to destination '"
                                      + mxClaimedBy.get(suffix)
                                      + "'");
                            } else {
                              mxClaimedBy.put(suffix, e.key());
                              suffixes.add(suffix);
                            }
                          });
                }
                if (!f.has("domains")
                    && !f.has("mx_suffixes")
                    && !e.key().equals(DestinationConfig.DEFAULT)) {
                  yaml.error(
                      e.keyNode(), what + " needs 'domains' or 'mx_suffixes' to recognise it");
                }
                out.put(
                    e.key(),
                    new DestinationConfig(
                        e.key(),
                        domains,
                        suffixes,
                        f.get("connections")
                            .map(n -> yaml.integer(n, "connections of " + what, 1, 10_000))
                            .orElse(OptionalInt.empty()),
                        f.get("rate").flatMap(n -> yaml.parsed(n, "rate of " + what, Rate::parse)),
                        f.get("messages_per_connection")
                            .map(
                                n ->
                                    yaml.integer(
                                        n, "messages_per_connection of " + what, 1, 1_000_000))
                            .orElse(OptionalInt.empty()),
                        f.get("tls")
                            .flatMap(n -> yaml.choice(n, "tls of " + what, DESTINATION_TLS))
                            .orElse(TlsMode.OPPORTUNISTIC),
                        f.get("responses").map(n -> responses.read(n, what)).orElse(List.of())));
              });
    }
    return out;
  }

  private List<RuleConfig> rules(Node node, MatchParser matches) {
    List<RuleConfig> out = new ArrayList<>();
    Map<String, Node> seen = new LinkedHashMap<>();
    String catchAll = null;
    RouteReader routes = new RouteReader(yaml, poolNames);
    List<Node> items = yaml.list(node, "rules");
    if (items.isEmpty()) {
      yaml.error(node, "rules is empty: add at least a catch-all rule");
    }
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String position =
          YamlReader.peek(item, "name").map(n -> "rule '" + n + "'").orElse("rule #" + (i + 1));
      Optional<YamlReader.Fields> fields = yaml.fields(item, position, RULE_KEYS);
      if (fields.isEmpty()) {
        continue;
      }
      YamlReader.Fields f = fields.get();
      String name = f.get("name").flatMap(n -> yaml.string(n, "name of " + position)).orElse(null);
      if (name == null) {
        if (!f.has("name")) {
          yaml.error(item, position + " needs a 'name' (it appears in traces, logs and metrics)");
        }
        continue;
      }
      String what = "rule '" + name + "'";
      if (!NAME.matcher(name).matches()) {
        yaml.error(f.get("name").get(), what + ": names use letters, digits, '.', '_' and '-'");
      } else if (seen.containsKey(name)) {
        yaml.error(f.get("name").get(), "duplicate rule name '" + name + "'");
      }
      seen.put(name, item);
      if (catchAll != null) {
        yaml.error(
            item, what + " can never match: rule '" + catchAll + "' above it matches everything");
      }
      Optional<Matcher> match =
          f.get("match").isPresent()
              ? matches.parse(f.get("match").get(), what)
              : Optional.of(new AlwaysMatcher());
      if (match.isPresent() && match.get() instanceof AlwaysMatcher && catchAll == null) {
        catchAll = name;
      }
      if (f.get("route").isEmpty()) {
        yaml.error(item, what + " needs a 'route' (at least 'pool')");
        continue;
      }
      Optional<RouteAction> route = routes.read(f.get("route").get(), what);
      if (match.isPresent() && route.isPresent()) {
        out.add(new RuleConfig(name, match.get(), route.get()));
      }
    }
    return out;
  }

  private Set<String> poolRefs(Node node, String what) {
    return references(yaml, node, what, poolNames, "pool");
  }

  /** Names that must be keys of another section, each checked with a "did you mean". */
  static Set<String> references(
      YamlReader yaml, Node node, String what, Set<String> known, String kind) {
    Set<String> out = new LinkedHashSet<>();
    for (Node n : yaml.list(node, what)) {
      yaml.string(n, what)
          .ifPresent(
              ref -> {
                if (known.contains(ref)) {
                  out.add(ref);
                } else {
                  yaml.error(
                      n,
                      what
                          + ": "
                          + kind
                          + " '"
                          + ref
                          + "' is not defined"
                          + Suggestions.hint(ref, known));
                }
              });
    }
    return out;
  }

  /** Whether a user-chosen name (pool, tenant…) is valid; reports it when not. */
  static boolean checkName(YamlReader yaml, YamlReader.Entry e, String kind) {
    if (NAME.matcher(e.key()).matches()) {
      return true;
    }
    yaml.error(
        e.keyNode(),
        kind + " name '" + e.key() + "' must use letters, digits, '.', '_' and '-' (64 at most)");
    return false;
  }

  private boolean checkName(YamlReader.Entry e, String kind) {
    return checkName(yaml, e, kind);
  }

  static boolean isHeaderName(String name) {
    return HEADER_NAME.matcher(name).matches();
  }

  static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Fallback chains must not loop back; each cycle is reported once, at its first pool. */
  private void checkFallbacks(Map<String, PoolConfig> pools, PoolReader poolReader) {
    for (List<String> cycle : FallbackCycles.of(pools)) {
      yaml.error(
          poolReader.fallbackNode(cycle.get(0)), "fallback cycle: " + String.join(" → ", cycle));
    }
  }

  static OptionalLong count(YamlReader yaml, Optional<Node> node, String what) {
    if (node.isEmpty()) {
      return OptionalLong.empty();
    }
    return yaml.parsed(node.get(), what, Counts::parse)
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }

  static Optional<Double> percent(YamlReader yaml, Node node, String what) {
    return yaml.parsed(node, what, Percent::parse);
  }

  static boolean isIpLiteral(String text) {
    return IpLiterals.parse(text).isPresent();
  }
}
