package dev.sluice.routing.config;

import dev.sluice.routing.units.Durations;
import dev.sluice.routing.units.Rate;
import dev.sluice.routing.units.UnitFormatException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the {@code traffic:} section. Every key is optional and defaults to its value in {@link
 * TrafficSettings#DEFAULTS}; a key with an error is reported and read as its default.
 */
final class TrafficReader {
  private static final List<String> KEYS =
      List.of("recipient_rate", "burst_window", "health", "adaptive", "warmup", "reputation");
  private static final List<String> HEALTH_KEYS =
      List.of(
          "window",
          "min_attempts",
          "degraded_above",
          "degraded_weight",
          "recheck",
          "ramp_start",
          "ramp",
          "probe_failures");
  private static final List<String> ADAPTIVE_KEYS =
      List.of("decrease", "cooldown", "increase", "clean_window", "floor");
  private static final List<String> WARMUP_KEYS =
      List.of("pause_bounce_above", "pause_deferral_above", "min_attempts");
  private static final List<String> REPUTATION_KEYS =
      List.of(
          "window",
          "min_attempts",
          "bounce_good",
          "bounce_bad",
          "complaint_good",
          "complaint_bad",
          "min_weight",
          "max_step");
  private static final int MAX_COUNT = 1_000_000;

  /** The shortest window rates are counted over: it is kept in slots of at least a millisecond. */
  private static final Duration MIN_WINDOW = Duration.ofSeconds(1);

  private final YamlReader yaml;

  TrafficReader(YamlReader yaml) {
    this.yaml = yaml;
  }

  TrafficSettings read(Node node) {
    TrafficSettings d = TrafficSettings.DEFAULTS;
    return yaml.fields(node, "traffic", KEYS)
        .map(
            f -> {
              Section s = new Section(f, "traffic");
              return new TrafficSettings(
                  f.get("recipient_rate")
                      .flatMap(
                          n -> yaml.parsed(n, s.what("recipient_rate"), TrafficReader::rateOrOff))
                      .orElse(d.recipientRate()),
                  s.duration("burst_window", d.burstWindow()),
                  f.get("health").map(this::health).orElse(d.health()),
                  f.get("adaptive").map(this::adaptive).orElse(d.aimd()),
                  f.get("warmup").map(this::warmup).orElse(d.warmupPause()),
                  f.get("reputation").map(this::reputation).orElse(d.reputation()));
            })
        .orElse(d);
  }

  /**
   * {@code off} as empty, else a rate; for keys where {@code off} turns a default limit off. A bad
   * value's message names both forms.
   */
  static Optional<Rate> rateOrOff(String text) {
    if (text.strip().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    if (text.indexOf('/') < 0) {
      throw new UnitFormatException(
          "'" + text + "' is not a rate (expected COUNT/PERIOD such as 5/hour, or off)");
    }
    return Optional.of(Rate.parse(text));
  }

  private HealthSettings health(Node node) {
    HealthSettings d = HealthSettings.DEFAULTS;
    return yaml.fields(node, "traffic.health", HEALTH_KEYS)
        .map(
            f -> {
              Section s = new Section(f, "traffic.health");
              return new HealthSettings(
                  s.window("window", d.window()),
                  s.count("min_attempts", d.minAttempts()),
                  s.fraction("degraded_above", d.degradedAbove(), false),
                  s.fraction("degraded_weight", d.degradedWeight(), false),
                  f.get("recheck").map(n -> recheck(n, s.what("recheck"))).orElse(d.recheck()),
                  s.fraction("ramp_start", d.rampStart(), false),
                  s.duration("ramp", d.ramp()),
                  s.count("probe_failures", d.probeFailures()));
            })
        .orElse(d);
  }

  private List<Duration> recheck(Node node, String what) {
    List<Node> items = yaml.list(node, what);
    List<Duration> out = new ArrayList<>();
    for (Node item : items) {
      yaml.parsed(item, what, Durations::parse).ifPresent(out::add);
    }
    if (items.isEmpty()) {
      yaml.error(node, what + " needs at least one interval (e.g. [1m, 5m, 15m, 30m, 1h, 4h])");
    }
    return out.size() == items.size() && !out.isEmpty() ? out : HealthSettings.DEFAULTS.recheck();
  }

  private AimdSettings adaptive(Node node) {
    AimdSettings d = AimdSettings.DEFAULTS;
    return yaml.fields(node, "traffic.adaptive", ADAPTIVE_KEYS)
        .map(
            f -> {
              Section s = new Section(f, "traffic.adaptive");
              return new AimdSettings(
                  s.fraction("decrease", d.decrease(), false),
                  s.duration("cooldown", d.cooldown()),
                  s.fraction("increase", d.increase(), false),
                  s.duration("clean_window", d.cleanWindow()),
                  s.fraction("floor", d.floor(), false));
            })
        .orElse(d);
  }

  private WarmupPause warmup(Node node) {
    WarmupPause d = WarmupPause.DEFAULTS;
    return yaml.fields(node, "traffic.warmup", WARMUP_KEYS)
        .map(
            f -> {
              Section s = new Section(f, "traffic.warmup");
              return new WarmupPause(
                  s.fraction("pause_bounce_above", d.bounceAbove(), false),
                  s.fraction("pause_deferral_above", d.deferralAbove(), false),
                  s.count("min_attempts", d.minAttempts()));
            })
        .orElse(d);
  }

  private ReputationSettings reputation(Node node) {
    ReputationSettings d = ReputationSettings.DEFAULTS;
    return yaml.fields(node, "traffic.reputation", REPUTATION_KEYS)
        .map(
            f -> {
              Section s = new Section(f, "traffic.reputation");
              int errorsBefore = yaml.errors().size();
              ReputationSettings r =
                  new ReputationSettings(
                      s.window("window", d.window()),
                      s.count("min_attempts", d.minAttempts()),
                      s.fraction("bounce_good", d.bounceGood(), true),
                      s.fraction("bounce_bad", d.bounceBad(), false),
                      s.fraction("complaint_good", d.complaintGood(), true),
                      s.fraction("complaint_bad", d.complaintBad(), false),
                      s.fraction("min_weight", d.minWeight(), false),
                      s.fraction("max_step", d.maxStep(), false));
              // Compared only when every value was read as written, not replaced by a default.
              if (yaml.errors().size() == errorsBefore) {
                s.below("bounce_good", r.bounceGood(), "bounce_bad", r.bounceBad());
                s.below("complaint_good", r.complaintGood(), "complaint_bad", r.complaintBad());
              }
              return r;
            })
        .orElse(d);
  }

  private static String percent(double fraction) {
    return new BigDecimal(Double.toString(fraction))
            .movePointRight(2)
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }

  /** One mapping of the section, read key by key, each key with its default. */
  private final class Section {
    private final YamlReader.Fields fields;
    private final String name;

    Section(YamlReader.Fields fields, String name) {
      this.fields = fields;
      this.name = name;
    }

    String what(String key) {
      return key + " of " + name;
    }

    Duration duration(String key, Duration fallback) {
      return fields
          .get(key)
          .flatMap(n -> yaml.parsed(n, what(key), Durations::parse))
          .orElse(fallback);
    }

    /** A window rates are counted over: at least {@link #MIN_WINDOW}. */
    Duration window(String key, Duration fallback) {
      Duration d = duration(key, fallback);
      if (d.compareTo(MIN_WINDOW) >= 0) {
        return d;
      }
      Node node = fields.get(key).orElseThrow();
      yaml.error(
          node,
          what(key)
              + " must be at least "
              + Durations.format(MIN_WINDOW)
              + ", not "
              + ((ScalarNode) node).getValue());
      return fallback;
    }

    int count(String key, int fallback) {
      return fields
          .get(key)
          .map(n -> yaml.integer(n, what(key), 1, MAX_COUNT))
          .orElse(OptionalInt.of(fallback))
          .orElse(fallback);
    }

    /** A percentage read as a fraction: above 0% (or from 0% when allowed) and at most 100%. */
    double fraction(String key, double fallback, boolean zeroAllowed) {
      Optional<Node> node = fields.get(key);
      Optional<Double> value = node.flatMap(n -> RoutesLoader.percent(yaml, n, what(key)));
      if (value.isEmpty()) {
        return fallback;
      }
      double v = value.get();
      if (v > 1 || (v == 0 && !zeroAllowed)) {
        String written = ((ScalarNode) node.get()).getValue();
        yaml.error(
            node.get(),
            what(key)
                + (zeroAllowed
                    ? " must be between 0% and 100%"
                    : " must be above 0% and at most 100%")
                + ", not "
                + written);
        return fallback;
      }
      return v;
    }

    /**
     * Reports a "good" threshold that is not below its "bad" one, at the bad key if it is written,
     * else at the good one (defaults are in order, so one of them is written).
     */
    void below(String goodKey, double good, String badKey, double bad) {
      if (good >= bad) {
        Node at = fields.get(badKey).or(() -> fields.get(goodKey)).orElseThrow();
        yaml.error(
            at,
            what(badKey)
                + " ("
                + percent(bad)
                + ") must be above "
                + goodKey
                + " ("
                + percent(good)
                + ")");
      }
    }
  }
}
