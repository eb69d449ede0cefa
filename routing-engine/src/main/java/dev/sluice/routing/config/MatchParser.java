package dev.sluice.routing.config;

import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.rules.AllMatcher;
import dev.sluice.routing.rules.AnyMatcher;
import dev.sluice.routing.rules.ClientNetworkMatcher;
import dev.sluice.routing.rules.DestinationMatcher;
import dev.sluice.routing.rules.DomainSet;
import dev.sluice.routing.rules.HeaderMatcher;
import dev.sluice.routing.rules.Matcher;
import dev.sluice.routing.rules.MessageTypeMatcher;
import dev.sluice.routing.rules.NotMatcher;
import dev.sluice.routing.rules.PriorityMatcher;
import dev.sluice.routing.rules.RecipientDomainMatcher;
import dev.sluice.routing.rules.RecipientMatcher;
import dev.sluice.routing.rules.SenderDomainMatcher;
import dev.sluice.routing.rules.TenantMatcher;
import dev.sluice.routing.rules.TextPattern;
import dev.sluice.routing.rules.TimeWindowMatcher;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Turns a rule's {@code match:} mapping into a {@link Matcher}, reporting every problem. */
final class MatchParser {
  static final List<String> KEYS =
      List.of(
          "recipient_domain",
          "destination",
          "sender_domain",
          "recipient",
          "message_type",
          "header",
          "tenant",
          "client_network",
          "time",
          "priority",
          "all",
          "any",
          "not");
  private static final List<String> HEADER_KEYS =
      List.of("name", "equals", "glob", "regex", "present");
  private static final List<String> TIME_KEYS = List.of("days", "hours", "zone");
  private static final List<String> DAY_NAMES =
      List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private final YamlReader yaml;
  private final Set<String> destinations;
  private final Set<String> tenants;
  private final ZoneId defaultZone;

  MatchParser(YamlReader yaml, Set<String> destinations, Set<String> tenants, ZoneId defaultZone) {
    this.yaml = yaml;
    this.destinations = destinations;
    this.tenants = tenants;
    this.defaultZone = defaultZone;
  }

  /**
   * Parses a match mapping; several keys in one mapping must all hold. Empty when the mapping has
   * errors (already reported), so that a broken rule never turns into a catch-all.
   */
  Optional<Matcher> parse(Node node, String where) {
    Optional<YamlReader.Fields> fields = yaml.fields(node, "match of " + where, KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    if (fields.get().entries().isEmpty()) {
      yaml.error(
          node, "match of " + where + " has no condition; leave 'match' out for a catch-all");
      return Optional.empty();
    }
    List<Matcher> all = new ArrayList<>();
    boolean complete = true;
    for (YamlReader.Entry e : fields.get().entries().values()) {
      Optional<Matcher> condition =
          KEYS.contains(e.key()) ? condition(e.key(), e.value(), where) : Optional.empty();
      condition.ifPresent(all::add);
      complete &= condition.isPresent();
    }
    if (!complete) {
      return Optional.empty();
    }
    return Optional.of(all.size() == 1 ? all.get(0) : new AllMatcher(all));
  }

  private Optional<Matcher> condition(String key, Node value, String where) {
    String what = key + " in " + where;
    return switch (key) {
      case "recipient_domain" -> domains(value, what).map(RecipientDomainMatcher::new);
      case "sender_domain" -> domains(value, what).map(SenderDomainMatcher::new);
      case "destination" ->
          names(value, what, destinations, "destination").map(DestinationMatcher::new);
      case "tenant" -> names(value, what, tenants, "tenant").map(TenantMatcher::new);
      case "message_type" ->
          nonEmpty(value, what, lowerCase(yaml.strings(value, what))).map(MessageTypeMatcher::new);
      case "recipient" -> recipient(value, what);
      case "header" -> header(value, what);
      case "client_network" -> networks(value, what).map(ClientNetworkMatcher::new);
      case "time" -> time(value, what);
      case "priority" -> priority(value, what);
      case "all" -> nested(value, what).map(AllMatcher::new);
      case "any" -> nested(value, what).map(AnyMatcher::new);
      default -> parse(value, "not of " + where).map(NotMatcher::new); // "not"
    };
  }

  private Optional<List<Matcher>> nested(Node value, String what) {
    List<Matcher> out = new ArrayList<>();
    boolean complete = true;
    for (Node item : yaml.list(value, what)) {
      Optional<Matcher> m = parse(item, what);
      m.ifPresent(out::add);
      complete &= m.isPresent();
    }
    return complete ? nonEmpty(value, what, out) : Optional.empty();
  }

  private Optional<DomainSet> domains(Node value, String what) {
    List<String> patterns = new ArrayList<>();
    for (Node item : yaml.list(value, what)) {
      yaml.string(item, what)
          .ifPresent(
              d -> {
                if (DomainNames.isPattern(d)) {
                  patterns.add(d);
                } else {
                  yaml.error(item, what + ": '" + d + "' is not a domain or *.domain wildcard");
                }
              });
    }
    return nonEmpty(value, what, patterns).map(DomainSet::of);
  }

  private Optional<Set<String>> names(Node value, String what, Set<String> known, String kind) {
    Set<String> out = new LinkedHashSet<>();
    for (Node item : yaml.list(value, what)) {
      yaml.string(item, what)
          .ifPresent(
              n -> {
                if (known.contains(n) || (kind.equals("destination") && n.equals("default"))) {
                  out.add(n);
                } else {
                  yaml.error(
                      item,
                      what
                          + ": "
                          + kind
                          + " '"
                          + n
                          + "' is not defined"
                          + Suggestions.hint(n, known));
                }
              });
    }
    return nonEmpty(value, what, out);
  }

  private Optional<Matcher> recipient(Node value, String what) {
    List<TextPattern> patterns = new ArrayList<>();
    for (Node item : yaml.list(value, what)) {
      yaml.string(item, what).flatMap(p -> addressPattern(item, p, what)).ifPresent(patterns::add);
    }
    return nonEmpty(value, what, patterns).map(RecipientMatcher::new);
  }

  /** {@code /regex/} or a glob. */
  private Optional<TextPattern> addressPattern(Node at, String text, String what) {
    if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
      return regex(at, text.substring(1, text.length() - 1), what);
    }
    return glob(at, text, what);
  }

  /** A glob; an empty one is refused, as it could only ever match an empty value. */
  private Optional<TextPattern> glob(Node at, String text, String what) {
    if (text.isEmpty()) {
      yaml.error(at, what + ": the glob is empty; write '*' to match any value");
      return Optional.empty();
    }
    return Optional.of(TextPattern.Glob.of(text));
  }

  private Optional<TextPattern> regex(Node at, String regex, String what) {
    try {
      return Optional.of(
          new TextPattern.Regex(
              Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
    } catch (PatternSyntaxException e) {
      yaml.error(at, what + ": bad regular expression: " + e.getDescription());
      return Optional.empty();
    }
  }

  private Optional<Matcher> header(Node value, String what) {
    List<Matcher> conditions = new ArrayList<>();
    List<Node> items = value instanceof SequenceNode s ? s.getValue() : List.of(value);
    for (Node item : items) {
      yaml.fields(item, what, HEADER_KEYS)
          .flatMap(f -> oneHeader(f, item, what))
          .ifPresent(conditions::add);
    }
    if (items.isEmpty()) {
      yaml.error(value, what + " is empty");
    }
    if (conditions.size() != items.size() || conditions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(conditions.size() == 1 ? conditions.get(0) : new AllMatcher(conditions));
  }

  /** Message types compare case-insensitively, as the router lower-cases the header value. */
  private static Set<String> lowerCase(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      out.add(v.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private Optional<Matcher> oneHeader(YamlReader.Fields f, Node at, String what) {
    Optional<String> name =
        f.get("name")
            .flatMap(n -> yaml.string(n, "name of " + what))
            .filter(
                n -> {
                  if (RoutesLoader.isHeaderName(n)) {
                    return true;
                  }
                  yaml.error(f.get("name").get(), what + ": '" + n + "' is not a header name");
                  return false;
                });
    if (f.get("name").isEmpty()) {
      yaml.error(at, what + " needs 'name' (the header name)");
    }
    List<String> tests = List.of("equals", "glob", "regex", "present");
    List<String> given = tests.stream().filter(f::has).toList();
    if (given.size() != 1) {
      yaml.error(at, what + " needs exactly one of equals, glob, regex or present");
      return Optional.empty();
    }
    Node testNode = f.get(given.get(0)).orElseThrow();
    Optional<TextPattern> pattern =
        switch (given.get(0)) {
          case "equals" -> yaml.string(testNode, what).map(TextPattern.Exact::new);
          case "glob" -> yaml.string(testNode, what).flatMap(g -> glob(testNode, g, what));
          case "regex" -> yaml.string(testNode, what).flatMap(r -> regex(testNode, r, what));
          default ->
              yaml.bool(testNode, what)
                  .flatMap(
                      b -> {
                        if (!b) {
                          yaml.error(testNode, what + ": use 'not' to match an absent header");
                          return Optional.empty();
                        }
                        return Optional.of(new TextPattern.Present());
                      });
        };
    if (name.isEmpty() || pattern.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HeaderMatcher(name.get(), pattern.get()));
  }

  private Optional<List<Cidr>> networks(Node value, String what) {
    List<Cidr> out = new ArrayList<>();
    for (Node item : yaml.list(value, what)) {
      yaml.parsed(item, what, Cidr::parse).ifPresent(out::add);
    }
    return nonEmpty(value, what, out);
  }

  private Optional<Matcher> priority(Node value, String what) {
    Optional<String> text = yaml.string(value, what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    java.util.regex.Matcher m =
        Pattern.compile("\\s*(\\d{1,2})\\s*(?:-\\s*(\\d{1,2})\\s*)?").matcher(text.get());
    if (m.matches()) {
      int min = Integer.parseInt(m.group(1));
      int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
      if (min >= 1 && max <= 10 && min <= max) {
        return Optional.of(new PriorityMatcher(min, max));
      }
    }
    yaml.error(
        value, what + " must be a priority 1-10 or a range such as 1-3, not '" + text.get() + "'");
    return Optional.empty();
  }

  private Optional<Matcher> time(Node value, String what) {
    Optional<YamlReader.Fields> fields = yaml.fields(value, what, TIME_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    YamlReader.Fields f = fields.get();
    Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
    boolean ok = true;
    if (f.get("days").isPresent()) {
      Optional<Set<DayOfWeek>> parsed = days(f.get("days").get(), "days of " + what);
      ok = parsed.isPresent();
      days = parsed.orElse(days);
    }
    LocalTime from = LocalTime.MIDNIGHT;
    LocalTime to = LocalTime.MIDNIGHT;
    if (f.get("hours").isPresent()) {
      Node hours = f.get("hours").get();
      Optional<LocalTime[]> range =
          yaml.string(hours, "hours of " + what).flatMap(MatchParser::hours);
      if (range.isEmpty()) {
        yaml.error(hours, "hours of " + what + " must look like 09:00-17:00");
        ok = false;
      } else {
        from = range.get()[0];
        to = range.get()[1];
      }
    }
    ZoneId zone = defaultZone;
    if (f.get("zone").isPresent()) {
      Optional<ZoneId> z = yaml.parsed(f.get("zone").get(), "zone of " + what, MatchParser::zone);
      ok &= z.isPresent();
      zone = z.orElse(zone);
    }
    if (!f.has("days") && !f.has("hours")) {
      yaml.error(value, what + " needs 'days', 'hours' or both");
      ok = false;
    }
    return ok ? Optional.of(new TimeWindowMatcher(days, from, to, zone)) : Optional.empty();
  }

  static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a time zone (e.g. Europe/Paris, UTC)");
    }
  }

  private static Optional<LocalTime[]> hours(String text) {
    java.util.regex.Matcher m =
        Pattern.compile("\\s*(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})\\s*").matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    int h1 = Integer.parseInt(m.group(1));
    int m1 = Integer.parseInt(m.group(2));
    int h2 = Integer.parseInt(m.group(3));
    int m2 = Integer.parseInt(m.group(4));
    if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || (h1 == 24 && m1 > 0) || (h2 == 24 && m2 > 0)) {
      return Optional.empty();
    }
    LocalTime from = h1 == 24 ? LocalTime.MIDNIGHT : LocalTime.of(h1, m1);
    LocalTime to = h2 == 24 ? LocalTime.MIDNIGHT : LocalTime.of(h2, m2);
    return Optional.of(new LocalTime[] {from, to});
  }

  /** {@code mon-fri}, {@code [mon, wed]}, {@code sat,sun}; ranges may wrap ({@code fri-mon}). */
  private Optional<Set<DayOfWeek>> days(Node node, String what) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    boolean ok = true;
    for (String item : yaml.strings(node, what)) {
      for (String part : item.split(",")) {
        String p = part.strip().toLowerCase(Locale.ROOT);
        String[] ends = p.split("-", -1);
        int a = ends.length <= 2 ? day(ends[0]) : -1;
        int b = ends.length == 2 ? day(ends[1]) : a;
        if (a < 0 || b < 0) {
          yaml.error(
              node,
              what
                  + ": '"
                  + part.strip()
                  + "' is not a day or range (use mon, tue, …, sun; e.g. mon-fri)");
          ok = false;
          continue;
        }
        for (int d = a; ; d = (d + 1) % 7) {
          out.add(DayOfWeek.of(d + 1));
          if (d == b) {
            break;
          }
        }
      }
    }
    if (ok && out.isEmpty()) {
      yaml.error(node, what + " lists no day");
      ok = false;
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  private static int day(String name) {
    String n = name.strip();
    int index = DAY_NAMES.indexOf(n.length() > 3 ? n.substring(0, 3) : n);
    boolean fullName =
        index >= 0
            && n.length() > 3
            && DayOfWeek.of(index + 1).name().toLowerCase(Locale.ROOT).equals(n);
    return n.length() == 3 || fullName ? index : -1;
  }

  private <C extends Collection<?>> Optional<C> nonEmpty(Node at, String what, C values) {
    if (values.isEmpty()) {
      boolean writtenEmpty =
          (at instanceof SequenceNode seq && seq.getValue().isEmpty())
              || (at instanceof ScalarNode scalar && scalar.getValue().isEmpty());
      if (writtenEmpty) {
        yaml.error(at, what + " is empty");
      }
      return Optional.empty();
    }
    return Optional.of(values);
  }
}
