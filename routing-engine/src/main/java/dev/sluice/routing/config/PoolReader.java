package dev.sluice.routing.config;

import dev.sluice.routing.units.Durations;
import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code pools:} section: pools, their members, and the members' paths and limits. */
final class PoolReader {
  private static final List<String> POOL_KEYS =
      List.of("members", "fallback", "stickiness", "description");
  private static final List<String> MEMBER_KEYS =
      List.of(
          "name",
          "weight",
          "source_ip",
          "ehlo",
          "relay",
          "limits",
          "warmup",
          "tenants",
          "description");
  private static final List<String> RELAY_KEYS = List.of("host", "port", "tls", "auth", "probe");

  /** Probes are a health check, not traffic: more than one a second would only load the relay. */
  private static final Duration MIN_PROBE = Duration.ofSeconds(1);

  private static final List<String> AUTH_KEYS =
      List.of("username", "password_env", "password_file", "password");
  private static final List<String> LIMIT_KEYS =
      List.of("per_hour", "per_day", "rate", "connections");
  private static final List<String> WARMUP_KEYS = List.of("start", "growth", "max", "schedule");

  /** A warmup's daily growth, as a fraction: 1000%. Faster is no warmup, and a typo. */
  private static final double MAX_GROWTH = 10;

  private static final Map<String, Stickiness> STICKINESS = new LinkedHashMap<>();
  private static final Map<String, TlsMode> TLS = new LinkedHashMap<>();

  static {
    for (Stickiness s : Stickiness.values()) {
      STICKINESS.put(s.yamlName(), s);
    }
    for (TlsMode t : TlsMode.values()) {
      TLS.put(t.yamlName(), t);
    }
  }

  private final YamlReader yaml;
  private final Set<String> poolNames;
  private final Set<String> tenantNames;
  private final Map<String, Node> poolNodes = new HashMap<>();

  /** Every member seen so far by name, with the pool it was first defined in. */
  private final Map<String, MemberConfig> membersByName = new HashMap<>();

  private final Map<String, String> firstPoolOf = new HashMap<>();
  private final Map<String, String> memberOfIp = new HashMap<>();

  PoolReader(YamlReader yaml, Set<String> poolNames, Set<String> tenantNames) {
    this.yaml = yaml;
    this.poolNames = poolNames;
    this.tenantNames = tenantNames;
  }

  Map<String, PoolConfig> read(Node node) {
    Map<String, PoolConfig> out = new LinkedHashMap<>();
    for (YamlReader.Entry e : yaml.entries(node, "pools").orElse(Map.of()).values()) {
      String what = "pool '" + e.key() + "'";
      if (!RoutesLoader.isName(e.key())) {
        yaml.error(
            e.keyNode(), "pool name '" + e.key() + "' must use letters, digits, '.', '_' and '-'");
        continue;
      }
      poolNodes.put(e.key(), e.keyNode());
      yaml.fields(e.value(), what, POOL_KEYS)
          .ifPresent(f -> out.put(e.key(), pool(e.key(), f, what)));
    }
    return out;
  }

  /** Where to point a fallback error for a pool: its {@code fallback} key, or its name. */
  Node fallbackNode(String pool) {
    return poolNodes.get(pool);
  }

  private PoolConfig pool(String name, YamlReader.Fields f, String what) {
    List<MemberConfig> members = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Optional<Node> membersNode = f.get("members");
    if (membersNode.isEmpty()) {
      yaml.error(f.node(), what + " needs 'members' (at least one source IP or relay)");
    }
    for (Node m : membersNode.map(n -> yaml.list(n, "members of " + what)).orElse(List.of())) {
      member(m, name, what)
          .ifPresent(
              member -> {
                if (!names.add(member.name())) {
                  yaml.error(m, what + " lists member '" + member.name() + "' twice");
                } else {
                  members.add(member);
                }
              });
    }
    if (membersNode.isPresent() && yaml.list(membersNode.get(), what).isEmpty()) {
      yaml.error(membersNode.get(), what + " has no members");
    }
    List<String> fallback = new ArrayList<>();
    f.get("fallback")
        .ifPresent(
            n -> {
              poolNodes.put(name, n);
              fallback.addAll(
                  RoutesLoader.references(yaml, n, "fallback of " + what, poolNames, "pool"));
            });
    Stickiness stickiness =
        f.get("stickiness")
            .flatMap(n -> yaml.choice(n, "stickiness of " + what, STICKINESS))
            .orElse(Stickiness.NONE);
    return new PoolConfig(name, members, fallback, stickiness);
  }

  private Optional<MemberConfig> member(Node node, String pool, String poolWhat) {
    Optional<YamlReader.Fields> fields = yaml.fields(node, "a member of " + poolWhat, MEMBER_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    Optional<String> name = f.get("name").flatMap(n -> yaml.string(n, "member name"));
    if (name.isEmpty()) {
      if (!f.has("name")) {
        yaml.error(node, "a member of " + poolWhat + " needs a 'name'");
      }
      return Optional.empty();
    }
    String what = "member '" + name.get() + "' of " + poolWhat;
    if (!RoutesLoader.isName(name.get())) {
      yaml.error(f.get("name").get(), what + ": names use letters, digits, '.', '_' and '-'");
      return Optional.empty();
    }
    int weight =
        f.get("weight")
            .map(n -> yaml.integer(n, "weight of " + what, 1, 1_000_000))
            .orElse(OptionalInt.of(1))
            .orElse(1);
    Optional<String> sourceIp =
        f.get("source_ip")
            .flatMap(
                n ->
                    yaml.string(
                        n, "source_ip of " + what, RoutesLoader::isIpLiteral, "an IP address"));
    Optional<String> ehlo =
        f.get("ehlo")
            .flatMap(
                n -> yaml.string(n, "ehlo of " + what, DomainNames::isHostname, "a host name"));
    Optional<RelayConfig> relay = f.get("relay").flatMap(n -> relay(n, what));
    Limits limits = f.get("limits").map(n -> limits(n, what)).orElse(Limits.NONE);
    Optional<WarmupConfig> warmup = f.get("warmup").flatMap(n -> warmup(n, what));
    Set<String> tenants =
        f.get("tenants")
            .map(n -> RoutesLoader.references(yaml, n, "tenants of " + what, tenantNames, "tenant"))
            .orElse(Set.of());
    MemberConfig member =
        new MemberConfig(name.get(), weight, sourceIp, ehlo, relay, limits, warmup, tenants);
    if (sourceIp.isPresent()) {
      String owner = memberOfIp.putIfAbsent(sourceIp.get(), member.name());
      if (owner != null && !owner.equals(member.name())) {
        yaml.error(
            f.get("source_ip").get(),
            what
                + ": source_ip "
                + sourceIp.get()
                + " is already member '"
                + owner
                + "'; reuse that member by name so both pools share its limits");
      }
    }
    MemberConfig earlier = membersByName.putIfAbsent(member.name(), member);
    if (earlier != null && !earlier.withWeight(1).equals(member.withWeight(1))) {
      yaml.error(
          node,
          what
              + " conflicts with member '"
              + member.name()
              + "' of pool '"
              + firstPoolOf.get(member.name())
              + "': a member in several pools must have the same path, limits, warmup and tenants"
              + " (only its weight may differ; a YAML anchor keeps them equal)");
    }
    firstPoolOf.putIfAbsent(member.name(), pool);
    return Optional.of(member);
  }

  private Optional<RelayConfig> relay(Node node, String member) {
    String what = "relay of " + member;
    Optional<YamlReader.Fields> fields = yaml.fields(node, what, RELAY_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    Optional<String> host =
        f.get("host")
            .flatMap(
                n ->
                    yaml.string(
                        n,
                        "host of " + what,
                        h -> DomainNames.isHostname(h) || RoutesLoader.isIpLiteral(h),
                        "a host name or IP address"));
    if (!f.has("host")) {
      yaml.error(node, what + " needs a 'host'");
    }
    TlsMode tls =
        f.get("tls").flatMap(n -> yaml.choice(n, "tls of " + what, TLS)).orElse(TlsMode.REQUIRED);
    int defaultPort = tls == TlsMode.IMPLICIT ? 465 : 587;
    OptionalInt port =
        f.get("port")
            .map(n -> yaml.integer(n, "port of " + what, 1, 65_535))
            .orElse(OptionalInt.of(defaultPort));
    Optional<RelayAuth> auth = f.get("auth").flatMap(n -> auth(n, what));
    Optional<Duration> probe =
        f.get("probe")
            .flatMap(n -> yaml.parsed(n, "probe of " + what, Durations::parse))
            .filter(
                p -> {
                  if (p.compareTo(MIN_PROBE) >= 0) {
                    return true;
                  }
                  yaml.error(f.get("probe").get(), "probe of " + what + " must be at least 1s");
                  return false;
                });
    if (host.isEmpty() || port.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RelayConfig(host.get(), port.getAsInt(), tls, auth, probe));
  }

  private Optional<RelayAuth> auth(Node node, String relay) {
    String what = "auth of " + relay;
    Optional<YamlReader.Fields> fields = yaml.fields(node, what, AUTH_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (f.has("password")) {
      // Never echo the value: it is a secret written where it should not be.
      yaml.error(
          f.entries().get("password").keyNode(),
          what
              + ": an inline password is not accepted; use password_env (an environment variable)"
              + " or password_file");
    }
    Optional<String> username =
        f.get("username").flatMap(n -> yaml.string(n, "username of " + what));
    if (!f.has("username")) {
      yaml.error(node, what + " needs a 'username'");
    }
    List<SecretRef> refs = new ArrayList<>();
    f.get("password_env")
        .flatMap(n -> yaml.string(n, "password_env of " + what))
        .map(SecretRef.FromEnv::new)
        .ifPresent(refs::add);
    f.get("password_file")
        .flatMap(n -> yaml.string(n, "password_file of " + what))
        .map(SecretRef.FromFile::new)
        .ifPresent(refs::add);
    if (refs.size() != 1) {
      if (!f.has("password")) {
        yaml.error(node, what + " needs exactly one of password_env or password_file");
      }
      return Optional.empty();
    }
    return username.map(u -> new RelayAuth(u, refs.get(0)));
  }

  private Limits limits(Node node, String member) {
    String what = "limits of " + member;
    return yaml.fields(node, what, LIMIT_KEYS)
        .map(
            f ->
                new Limits(
                    positive(
                        RoutesLoader.count(yaml, f.get("per_hour"), "per_hour of " + what),
                        f.get("per_hour"),
                        what),
                    positive(
                        RoutesLoader.count(yaml, f.get("per_day"), "per_day of " + what),
                        f.get("per_day"),
                        what),
                    f.get("rate").flatMap(n -> yaml.parsed(n, "rate of " + what, Rate::parse)),
                    f.get("connections")
                        .map(n -> yaml.integer(n, "connections of " + what, 1, 10_000))
                        .orElse(OptionalInt.empty())))
        .orElse(Limits.NONE);
  }

  private OptionalLong positive(OptionalLong value, Optional<Node> node, String what) {
    if (value.isPresent() && value.getAsLong() < 1) {
      yaml.error(node.orElseThrow(), what + ": a quota must be at least 1");
      return OptionalLong.empty();
    }
    return value;
  }

  private Optional<WarmupConfig> warmup(Node node, String member) {
    String what = "warmup of " + member;
    Optional<YamlReader.Fields> fields = yaml.fields(node, what, WARMUP_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (f.has("schedule")) {
      if (f.has("start") || f.has("growth") || f.has("max")) {
        yaml.error(
            node,
            what
                + ": use either 'schedule' (a table of daily caps) or 'start' and 'growth', not both");
        return Optional.empty();
      }
      List<Long> caps = new ArrayList<>();
      for (Node day : yaml.list(f.get("schedule").get(), "schedule of " + what)) {
        RoutesLoader.count(yaml, Optional.of(day), "schedule of " + what).ifPresent(caps::add);
      }
      if (caps.isEmpty()) {
        yaml.error(f.get("schedule").get(), what + ": the schedule needs at least one daily cap");
        return Optional.empty();
      }
      if (caps.contains(0L)) {
        yaml.error(f.get("schedule").get(), what + ": a daily cap must be at least 1");
        return Optional.empty();
      }
      return Optional.of(new WarmupConfig.Table(caps));
    }
    if (!f.has("start") || !f.has("growth")) {
      yaml.error(
          node, what + " needs 'start' (e.g. 100/day) and 'growth' (e.g. 15%), or a 'schedule'");
      return Optional.empty();
    }
    Optional<Rate> start = yaml.parsed(f.get("start").get(), "start of " + what, Rate::parse);
    Optional<Double> growth =
        RoutesLoader.percent(yaml, f.get("growth").get(), "growth of " + what);
    OptionalLong max = RoutesLoader.count(yaml, f.get("max"), "max of " + what);
    if (max.isPresent() && start.isPresent() && max.getAsLong() < start.get().count()) {
      yaml.error(f.get("max").get(), "max of " + what + " is below its start");
      return Optional.empty();
    }
    if (start.isPresent() && !start.get().period().equals(Duration.ofDays(1))) {
      yaml.error(
          f.get("start").get(), "start of " + what + " is a daily volume: write it as N/day");
      return Optional.empty();
    }
    if (growth.isPresent() && growth.get() <= 0) {
      yaml.error(f.get("growth").get(), "growth of " + what + " must be above 0%");
      return Optional.empty();
    }
    // Also keeps out a growth too large for a double (Infinity), which the schedule cannot use.
    if (growth.isPresent() && growth.get() > MAX_GROWTH) {
      yaml.error(
          f.get("growth").get(),
          "growth of " + what + " must be at most 1000% (eleven times the volume each day)");
      return Optional.empty();
    }
    if (start.isEmpty() || growth.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new WarmupConfig.Curve(start.get().count(), growth.get(), max));
  }
}
