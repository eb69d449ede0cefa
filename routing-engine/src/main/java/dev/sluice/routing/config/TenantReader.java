package dev.sluice.routing.config;

import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.rules.DomainSet;
import dev.sluice.routing.units.Rate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code tenants:} section: plans, how a tenant is recognised, its AUTH identities. */
final class TenantReader {
  private static final List<String> KEYS =
      List.of(
          "pools",
          "may_steer",
          "networks",
          "sender_domains",
          "restrict_senders",
          "users",
          "rate",
          "description");
  private static final List<String> USER_KEYS = List.of("username", "password_hash", "password");

  private final YamlReader yaml;
  private final Set<String> poolNames;
  private final Map<String, String> tenantOfUser = new HashMap<>();

  TenantReader(YamlReader yaml, Set<String> poolNames) {
    this.yaml = yaml;
    this.poolNames = poolNames;
  }

  Map<String, TenantConfig> read(Node node) {
    Map<String, TenantConfig> out = new LinkedHashMap<>();
    for (YamlReader.Entry e : yaml.entries(node, "tenants").orElse(Map.of()).values()) {
      if (RoutesLoader.checkName(yaml, e, "tenant")) {
        String what = "tenant '" + e.key() + "'";
        yaml.fields(e.value(), what, KEYS)
            .ifPresent(f -> out.put(e.key(), tenant(e.key(), f, what)));
      }
    }
    return out;
  }

  private TenantConfig tenant(String name, YamlReader.Fields f, String what) {
    Optional<Set<String>> pools =
        f.get("pools")
            .map(n -> RoutesLoader.references(yaml, n, "pools of " + what, poolNames, "pool"));
    List<Cidr> networks = new ArrayList<>();
    for (Node n : list(f, "networks", what)) {
      yaml.parsed(n, "networks of " + what, Cidr::parse).ifPresent(networks::add);
    }
    List<String> senders = new ArrayList<>();
    for (Node n : list(f, "sender_domains", what)) {
      yaml.string(n, "sender_domains of " + what)
          .ifPresent(
              d -> {
                if (DomainNames.isPattern(d)) {
                  senders.add(DomainSet.normalize(d));
                } else {
                  yaml.error(
                      n,
                      "sender_domains of "
                          + what
                          + ": '"
                          + d
                          + "' is not a domain or *.domain wildcard");
                }
              });
    }
    boolean maySteer =
        f.get("may_steer").flatMap(n -> yaml.bool(n, "may_steer of " + what)).orElse(false);
    boolean restrict =
        f.get("restrict_senders")
            .flatMap(n -> yaml.bool(n, "restrict_senders of " + what))
            .orElse(false);
    if (restrict && senders.isEmpty()) {
      yaml.error(
          f.get("restrict_senders").get(),
          what + ": restrict_senders needs sender_domains to allow");
    }
    List<TenantUser> users = new ArrayList<>();
    for (Node n : list(f, "users", what)) {
      user(n, name, what).ifPresent(users::add);
    }
    Optional<Rate> rate =
        f.get("rate").flatMap(n -> yaml.parsed(n, "rate of " + what, Rate::parse));
    return new TenantConfig(name, pools, maySteer, networks, senders, restrict, users, rate);
  }

  private Optional<TenantUser> user(Node node, String tenant, String tenantWhat) {
    String what = "a user of " + tenantWhat;
    Optional<YamlReader.Fields> fields = yaml.fields(node, what, USER_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (f.has("password")) {
      yaml.error(
          f.entries().get("password").keyNode(),
          what
              + ": a plain password is not accepted; store password_hash (make one with 'sluice passwd')");
      return Optional.empty();
    }
    Optional<String> username =
        f.get("username").flatMap(n -> yaml.string(n, "username of " + what));
    Optional<String> hash =
        f.get("password_hash").flatMap(n -> yaml.string(n, "password_hash of " + what));
    if (!f.has("username") || !f.has("password_hash")) {
      yaml.error(node, what + " needs 'username' and 'password_hash'");
      return Optional.empty();
    }
    if (hash.isPresent() && !TenantUser.isSupportedHash(hash.get())) {
      yaml.error(
          f.get("password_hash").get(),
          "password_hash of "
              + what
              + " is not a bcrypt ($2b$…) or argon2id ($argon2id$…, at most m=262144,t=100,p=255)"
              + " hash; make one with 'sluice passwd'");
      return Optional.empty();
    }
    if (username.isPresent()) {
      String other = tenantOfUser.putIfAbsent(username.get(), tenant);
      if (other != null) {
        yaml.error(
            f.get("username").get(),
            "user '" + username.get() + "' is already a user of tenant '" + other + "'");
        return Optional.empty();
      }
    }
    return username.flatMap(u -> hash.map(h -> new TenantUser(u, h)));
  }

  private List<Node> list(YamlReader.Fields f, String key, String what) {
    return f.get(key).map(n -> yaml.list(n, key + " of " + what)).orElse(List.of());
  }
}
