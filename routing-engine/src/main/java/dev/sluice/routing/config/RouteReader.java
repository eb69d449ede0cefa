package dev.sluice.routing.config;

import dev.sluice.routing.units.Rate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** Reads a rule's {@code route:} mapping. */
final class RouteReader {
  private static final List<String> KEYS =
      List.of(
          "pool",
          "fallback",
          "priority",
          "rate",
          "dkim",
          "on_hard_bounce",
          "tags",
          "recipient_rate",
          "on_recipient_limit");
  private static final Map<String, RouteAction.DkimPolicy> DKIM =
      words(RouteAction.DkimPolicy.values());
  private static final Map<String, RouteAction.HardBouncePolicy> HARD_BOUNCE =
      words(RouteAction.HardBouncePolicy.values());
  private static final Map<String, RecipientLimitPolicy> RECIPIENT_LIMIT =
      words(RecipientLimitPolicy.values());

  private final YamlReader yaml;
  private final Set<String> poolNames;

  RouteReader(YamlReader yaml, Set<String> poolNames) {
    this.yaml = yaml;
    this.poolNames = poolNames;
  }

  Optional<RouteAction> read(Node node, String rule) {
    String what = "route of " + rule;
    Optional<YamlReader.Fields> fields = yaml.fields(node, what, KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    if (!f.has("pool")) {
      yaml.error(node, what + " needs a 'pool'");
      return Optional.empty();
    }
    Set<String> pool =
        RoutesLoader.references(yaml, f.get("pool").get(), "pool of " + what, poolNames, "pool");
    Optional<List<String>> fallback =
        f.get("fallback")
            .map(
                n ->
                    List.copyOf(
                        RoutesLoader.references(
                            yaml, n, "fallback of " + what, poolNames, "pool")));
    OptionalInt priority =
        f.get("priority")
            .map(n -> yaml.integer(n, "priority of " + what, 1, 10))
            .orElse(OptionalInt.empty());
    Optional<Rate> rate =
        f.get("rate").flatMap(n -> yaml.parsed(n, "rate of " + what, Rate::parse));
    RouteAction.DkimPolicy dkim =
        f.get("dkim")
            .flatMap(n -> yaml.choice(n, "dkim of " + what, DKIM))
            .orElse(RouteAction.DkimPolicy.OPTIONAL);
    RouteAction.HardBouncePolicy onHardBounce =
        f.get("on_hard_bounce")
            .flatMap(n -> yaml.choice(n, "on_hard_bounce of " + what, HARD_BOUNCE))
            .orElse(RouteAction.HardBouncePolicy.BOUNCE);
    List<String> tags = new ArrayList<>();
    f.get("tags").ifPresent(n -> tags.addAll(yaml.strings(n, "tags of " + what)));
    // Outer empty: not written (or wrong); inner empty: written as off.
    Optional<Optional<Rate>> recipientRate =
        f.get("recipient_rate")
            .flatMap(n -> yaml.parsed(n, "recipient_rate of " + what, TrafficReader::rateOrOff));
    RecipientLimitPolicy onRecipientLimit =
        f.get("on_recipient_limit")
            .flatMap(n -> yaml.choice(n, "on_recipient_limit of " + what, RECIPIENT_LIMIT))
            .orElse(RecipientLimitPolicy.WAIT);
    if (pool.size() != 1) {
      int written = yaml.list(f.get("pool").get(), what).size();
      if (written != 1) {
        yaml.error(
            f.get("pool").get(),
            written == 0
                ? "pool of " + what + " is empty: name the pool to deliver through"
                : "pool of " + what + " names one pool; list the others under 'fallback'");
      }
      return Optional.empty();
    }
    return Optional.of(
        new RouteAction(
            pool.iterator().next(),
            fallback,
            priority,
            rate,
            dkim,
            onHardBounce,
            tags,
            recipientRate.flatMap(r -> r),
            recipientRate.map(Optional::isEmpty).orElse(false),
            onRecipientLimit));
  }

  private static <E extends Enum<E>> Map<String, E> words(E[] values) {
    Map<String, E> out = new LinkedHashMap<>();
    for (E v : values) {
      out.put(v.name().toLowerCase(Locale.ROOT), v);
    }
    return out;
  }
}
