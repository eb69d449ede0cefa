package dev.sluice.routing.config;

import dev.sluice.routing.units.Durations;
import dev.sluice.routing.units.Rate;
import dev.sluice.routing.units.UnitFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads a destination's {@code responses:} list: replies that suspend, throttle or bounce. */
final class ResponseReader {
  private static final List<String> KEYS =
      List.of("name", "match", "trigger", "action", "factor", "duration");

  /** A trigger counts matches per member in memory: keep the count a small number. */
  private static final int MAX_TRIGGER_COUNT = 10_000;

  private static final double DEFAULT_FACTOR = 0.5;
  private static final Map<String, Kind> ACTIONS = new LinkedHashMap<>();

  static {
    ACTIONS.put("suspend", Kind.SUSPEND);
    ACTIONS.put("suspend_tenant", Kind.SUSPEND_TENANT);
    ACTIONS.put("throttle", Kind.THROTTLE);
    ACTIONS.put("bounce", Kind.BOUNCE);
  }

  private enum Kind {
    SUSPEND,
    SUSPEND_TENANT,
    THROTTLE,
    BOUNCE
  }

  private final YamlReader yaml;

  ResponseReader(YamlReader yaml) {
    this.yaml = yaml;
  }

  List<ResponseRule> read(Node node, String destination) {
    List<ResponseRule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Node> items = yaml.list(node, "responses of " + destination);
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      response(item, i + 1, destination)
          .ifPresent(
              r -> {
                if (names.add(r.name())) {
                  out.add(r);
                } else {
                  yaml.error(
                      item,
                      "responses of "
                          + destination
                          + " name '"
                          + r.name()
                          + "' twice; give each a distinct 'name'");
                }
              });
    }
    return out;
  }

  private Optional<ResponseRule> response(Node item, int index, String destination) {
    String position =
        YamlReader.peek(item, "name")
            .map(n -> "response '" + n + "' of " + destination)
            .orElse("response #" + index + " of " + destination);
    Optional<YamlReader.Fields> fields = yaml.fields(item, position, KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    Optional<String> name = f.get("name").flatMap(n -> yaml.string(n, "name of " + position));
    if (name.isPresent() && !RoutesLoader.isName(name.get())) {
      yaml.error(f.get("name").get(), position + ": names use letters, digits, '.', '_' and '-'");
    }
    if (!f.has("match")) {
      yaml.error(item, position + " needs 'match' (a regular expression found in the reply)");
    }
    Optional<Pattern> pattern = f.get("match").flatMap(n -> pattern(n, position));
    String what =
        name.or(() -> pattern.map(Pattern::pattern))
            .map(n -> "response '" + n + "' of " + destination)
            .orElse(position);
    Optional<ResponseRule.Threshold> trigger =
        f.get("trigger")
            .flatMap(n -> yaml.parsed(n, "trigger of " + what, ResponseReader::trigger))
            .flatMap(t -> t);
    Optional<ResponseRule.Action> action = action(f, item, what);
    Optional<Duration> duration = duration(f, item, what);
    if (pattern.isEmpty() || action.isEmpty() || duration.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ResponseRule(
            name.orElse(pattern.get().pattern()),
            pattern.get(),
            trigger,
            action.get(),
            duration.get()));
  }

  private Optional<Pattern> pattern(Node node, String position) {
    String what = "match of " + position;
    Optional<String> regex = yaml.string(node, what);
    if (regex.isPresent() && regex.get().isEmpty()) {
      yaml.error(node, what + " is empty: it would match every reply");
      return Optional.empty();
    }
    try {
      return regex.map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE));
    } catch (PatternSyntaxException e) {
      yaml.error(node, what + ": bad regular expression: " + e.getDescription());
      return Optional.empty();
    }
  }

  /** {@code immediate} as empty, else {@code COUNT/PERIOD}. */
  private static Optional<ResponseRule.Threshold> trigger(String text) {
    if (text.strip().equalsIgnoreCase("immediate")) {
      return Optional.empty();
    }
    if (text.indexOf('/') < 0) {
      throw new UnitFormatException(
          "'" + text + "' is not a trigger (expected COUNT/PERIOD such as 3/5m, or immediate)");
    }
    Rate rate = Rate.parse(text);
    if (rate.count() > MAX_TRIGGER_COUNT) {
      throw new UnitFormatException(
          "a trigger counts at most " + MAX_TRIGGER_COUNT + " matches, not " + rate.count());
    }
    return Optional.of(new ResponseRule.Threshold((int) rate.count(), rate.period()));
  }

  private Optional<ResponseRule.Action> action(YamlReader.Fields f, Node item, String what) {
    if (!f.has("action")) {
      yaml.error(item, what + " needs an 'action' (suspend, suspend_tenant, throttle or bounce)");
      return Optional.empty();
    }
    Optional<Kind> kind = yaml.choice(f.get("action").get(), "action of " + what, ACTIONS);
    Optional<Node> factorNode = f.get("factor");
    if (factorNode.isPresent() && kind.isPresent() && kind.get() != Kind.THROTTLE) {
      yaml.error(
          f.entries().get("factor").keyNode(),
          "factor of " + what + " applies only to action: throttle");
      return Optional.empty();
    }
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    return switch (kind.get()) {
      case SUSPEND -> Optional.of(new ResponseRule.SuspendMember());
      case SUSPEND_TENANT -> Optional.of(new ResponseRule.SuspendTenant());
      case BOUNCE -> Optional.of(new ResponseRule.Bounce());
      case THROTTLE -> factor(factorNode, what).map(ResponseRule.Throttle::new);
    };
  }

  private Optional<Double> factor(Optional<Node> node, String what) {
    if (node.isEmpty()) {
      return Optional.of(DEFAULT_FACTOR);
    }
    return RoutesLoader.percent(yaml, node.get(), "factor of " + what)
        .filter(
            v -> {
              if (v > 0 && v < 1) {
                return true;
              }
              yaml.error(
                  node.get(),
                  "factor of "
                      + what
                      + " (the share of the rate kept) must be above 0% and below 100%, not "
                      + ((ScalarNode) node.get()).getValue());
              return false;
            });
  }

  /** How long the action holds: required, except for bounce, which acts on each reply alone. */
  private Optional<Duration> duration(YamlReader.Fields f, Node item, String what) {
    boolean bounce = YamlReader.peek(item, "action").filter("bounce"::equals).isPresent();
    if (bounce) {
      if (f.has("duration")) {
        yaml.error(
            f.entries().get("duration").keyNode(),
            "duration of " + what + ": a bounce acts on the one reply and holds nothing");
        return Optional.empty();
      }
      return Optional.of(Duration.ZERO);
    }
    if (!f.has("duration")) {
      if (f.has("action")) {
        yaml.error(item, what + " needs a 'duration' (how long its action holds, e.g. 1h)");
      }
      return Optional.empty();
    }
    return yaml.parsed(f.get("duration").get(), "duration of " + what, Durations::parse);
  }
}
