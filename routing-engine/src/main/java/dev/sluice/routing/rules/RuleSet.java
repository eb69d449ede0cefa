package dev.sluice.routing.rules;

import dev.sluice.routing.Headers;
import dev.sluice.routing.config.RuleConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rule list compiled for first-match lookup. A rule that can only match some recipient domains
 * (a {@code recipient_domain} or {@code destination} condition at its top level) is indexed under
 * them, so a decision evaluates only the rules that could match its recipient plus the rules that
 * are not indexable, in file order. Immutable and thread-safe.
 */
public final class RuleSet {
  private static final int[] NONE = new int[0];

  private final List<RuleConfig> rules;
  private final Map<String, int[]> byExactDomain;
  private final SuffixTable<int[]> byDomainSuffix;
  private final Map<String, int[]> byDestination;

  /** Header key → rules by the {@link #fold folded} ASCII first character of their prefix. */
  private final Map<String, int[][]> byHeaderPrefix;

  private final int[] unindexed;

  /** Header key → name as written, of every header some glob or regex test reads. */
  private final Map<String, String> patternHeaders;

  public RuleSet(List<RuleConfig> rules) {
    this.rules = List.copyOf(rules);
    Map<String, List<Integer>> exact = new HashMap<>();
    Map<String, List<Integer>> suffix = new HashMap<>();
    Map<String, List<Integer>> destination = new HashMap<>();
    Map<String, String> patterned = new HashMap<>();
    Map<String, Map<Character, List<Integer>>> header = new HashMap<>();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < this.rules.size(); i++) {
      patternHeaders(this.rules.get(i).match(), patterned);
      Matcher anchor = anchor(this.rules.get(i).match());
      if (anchor instanceof RecipientDomainMatcher r) {
        for (String d : r.domains().exactNames()) {
          exact.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
        }
        for (String s : r.domains().wildcardSuffixes()) {
          suffix.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
        }
      } else if (anchor instanceof DestinationMatcher d) {
        for (String name : d.destinations()) {
          destination.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
        }
      } else if (anchor instanceof HeaderMatcher h && indexable(h)) {
        header
            .computeIfAbsent(h.key(), k -> new HashMap<>())
            .computeIfAbsent(fold(h.pattern().requiredPrefix().charAt(0)), k -> new ArrayList<>())
            .add(i);
      } else {
        rest.add(i);
      }
    }
    this.byExactDomain = freeze(exact);
    this.byDomainSuffix = new SuffixTable<>(freeze(suffix));
    this.byDestination = freeze(destination);
    this.unindexed = rest.stream().mapToInt(Integer::intValue).toArray();
    Map<String, int[][]> headerIndex = new HashMap<>();
    header.forEach(
        (key, byChar) -> {
          int[][] table = new int[128][];
          byChar.forEach(
              (c, list) -> table[c] = list.stream().mapToInt(Integer::intValue).toArray());
          headerIndex.put(key, table);
        });
    this.byHeaderPrefix = Map.copyOf(headerIndex);
    this.patternHeaders = Map.copyOf(patterned);
  }

  private static void patternHeaders(Matcher m, Map<String, String> out) {
    if (m instanceof HeaderMatcher h
        && (h.pattern() instanceof TextPattern.Glob || h.pattern() instanceof TextPattern.Regex)) {
      out.putIfAbsent(h.key(), h.name());
    } else if (m instanceof AllMatcher all) {
      all.conditions().forEach(c -> patternHeaders(c, out));
    } else if (m instanceof AnyMatcher any) {
      any.conditions().forEach(c -> patternHeaders(c, out));
    } else if (m instanceof NotMatcher not) {
      patternHeaders(not.condition(), out);
    }
  }

  /**
   * The headers of {@code headers} that glob and regex tests of these rules read and that carry a
   * value over {@link TextPattern#MAX_PATTERN_INPUT} characters, by name, with the longest length:
   * those tests did not match them, which a trace should say.
   */
  public Map<String, Integer> overlongPatternHeaders(Headers headers) {
    Map<String, Integer> out = Map.of();
    for (Map.Entry<String, String> e : patternHeaders.entrySet()) {
      int longest = 0;
      for (String value : headers.byKey(e.getKey())) {
        longest = Math.max(longest, value.length());
      }
      if (longest > TextPattern.MAX_PATTERN_INPUT) {
        if (out.isEmpty()) {
          out = new TreeMap<>();
        }
        out.put(e.getValue(), longest);
      }
    }
    return out;
  }

  /**
   * A character as the patterns compare it ignoring case ({@link String#equalsIgnoreCase}, {@code
   * regionMatches(true, …)}, {@code UNICODE_CASE}): two characters are equal so when their folds
   * are. Keys the header index on both sides, so that {@code ı} (U+0131) and {@code ſ} (U+017F)
   * find the rules for {@code i…} and {@code s…} their matchers accept.
   */
  private static char fold(char c) {
    return Character.toLowerCase(Character.toUpperCase(c));
  }

  /** Whether a header condition can anchor a rule: it needs a value with a known ASCII start. */
  private static boolean indexable(Matcher m) {
    if (m instanceof HeaderMatcher h) {
      String prefix = h.pattern().requiredPrefix();
      return !prefix.isEmpty() && fold(prefix.charAt(0)) < 128;
    }
    return false;
  }

  /** The condition every match of this rule needs, if it is one we can index on. */
  private static Matcher anchor(Matcher match) {
    if (match instanceof RecipientDomainMatcher || match instanceof DestinationMatcher) {
      return match;
    }
    if (match instanceof AllMatcher all) {
      for (Matcher m : all.conditions()) {
        if (m instanceof RecipientDomainMatcher) {
          return m;
        }
      }
      for (Matcher m : all.conditions()) {
        if (m instanceof DestinationMatcher) {
          return m;
        }
      }
      for (Matcher m : all.conditions()) {
        if (indexable(m)) {
          return m;
        }
      }
      return match;
    }
    return match;
  }

  private static Map<String, int[]> freeze(Map<String, List<Integer>> lists) {
    Map<String, int[]> out = new HashMap<>();
    lists.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    return Map.copyOf(out);
  }

  /** Index of the first rule that matches, or -1. */
  public int firstMatch(MatchContext context) {
    int best =
        firstIn(
            byExactDomain.getOrDefault(context.recipientDomain(), NONE),
            context,
            Integer.MAX_VALUE);
    if (!byDomainSuffix.isEmpty()) {
      String domain = context.recipientDomain();
      for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
        int[] candidates = byDomainSuffix.after(domain, dot);
        if (candidates != null) {
          best = firstIn(candidates, context, best);
        }
      }
    }
    best = firstIn(byDestination.getOrDefault(context.destination(), NONE), context, best);
    for (Map.Entry<String, int[][]> e : byHeaderPrefix.entrySet()) {
      best = firstInHeaderIndex(e.getValue(), context.headers().byKey(e.getKey()), context, best);
    }
    best = firstIn(unindexed, context, best);
    return best == Integer.MAX_VALUE ? -1 : best;
  }

  /**
   * The rules of one header's index that the header's values could match, each tried once however
   * many values share its first character: a rule's matcher already reads every value, so trying it
   * per value made a message with thousands of copies of one header cost their square.
   */
  private int firstInHeaderIndex(
      int[][] byChar, List<String> values, MatchContext context, int bound) {
    if (values.isEmpty()) {
      return bound;
    }
    boolean[] tried = new boolean[byChar.length];
    int best = bound;
    for (String value : values) {
      char c = value.isEmpty() ? 128 : fold(value.charAt(0));
      if (c < 128 && byChar[c] != null && !tried[c]) {
        tried[c] = true;
        best = firstIn(byChar[c], context, best);
      }
    }
    return best;
  }

  /** The first matching index in {@code candidates} below {@code bound}, or {@code bound}. */
  private int firstIn(int[] candidates, MatchContext context, int bound) {
    for (int i : candidates) {
      if (i >= bound) {
        return bound;
      }
      if (rules.get(i).match().matches(context)) {
        return i;
      }
    }
    return bound;
  }

  public RuleConfig get(int index) {
    return rules.get(index);
  }

  public int size() {
    return rules.size();
  }

  /** How many rules are reached only by a scan (not indexed by domain or destination). */
  public int unindexedCount() {
    return unindexed.length;
  }

  @Override
  public String toString() {
    return "RuleSet["
        + rules.size()
        + " rules, "
        + unindexed.length
        + " unindexed: "
        + Arrays.toString(unindexed)
        + "]";
  }
}
