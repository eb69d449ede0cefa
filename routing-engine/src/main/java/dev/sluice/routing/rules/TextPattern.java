package dev.sluice.routing.rules;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a header value or an address is compared: exactly, by glob, by regular expression, or only
 * for presence. Thread-safe; compiled patterns reuse one {@link Matcher} per thread, since a
 * decision may test dozens of them.
 */
public sealed interface TextPattern {
  /**
   * The longest value a glob or a regex is applied to; a longer one does not match. It is the line
   * limit of RFC 5322 §2.1.1, so no honest header reaches it, while a client could otherwise send a
   * header long enough to make a backtracking regex exhaust the stack or run for minutes.
   */
  int MAX_PATTERN_INPUT = 998;

  boolean matches(String value);

  /**
   * Text every matching value starts with, compared ignoring case as {@link
   * String#equalsIgnoreCase} does; empty when there is none. Lets the rule index skip rules whose
   * header value cannot match.
   */
  default String requiredPrefix() {
    return "";
  }

  /** Case-insensitive equality. */
  record Exact(String value) implements TextPattern {
    public Exact {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String candidate) {
      return value.equalsIgnoreCase(candidate);
    }

    @Override
    public String requiredPrefix() {
      return value;
    }

    @Override
    public String toString() {
      return "= '" + value + "'";
    }
  }

  /**
   * Case-insensitive glob: {@code *} any run, {@code ?} one character. A glob that is a literal
   * followed by one {@code *} (the common {@code promo-*}) is a prefix test, no regex. A value over
   * {@link #MAX_PATTERN_INPUT} characters does not match.
   */
  final class Glob implements TextPattern {
    private final String glob;
    private final String prefix;
    private final ThreadLocal<Matcher> matcher;

    private Glob(String glob, String prefix, Pattern compiled) {
      this.glob = glob;
      this.prefix = prefix;
      this.matcher = compiled == null ? null : ThreadLocal.withInitial(() -> compiled.matcher(""));
    }

    public static Glob of(String glob) {
      int star = glob.indexOf('*');
      if (star >= 0 && star == glob.length() - 1 && glob.indexOf('?') < 0) {
        return new Glob(glob, glob.substring(0, star), null);
      }
      StringBuilder regex = new StringBuilder();
      StringBuilder literal = new StringBuilder();
      for (char c : glob.toCharArray()) {
        if (c == '*' || c == '?') {
          if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
          }
          regex.append(c == '*' ? ".*" : ".");
        } else {
          literal.append(c);
        }
      }
      if (literal.length() > 0) {
        regex.append(Pattern.quote(literal.toString()));
      }
      return new Glob(
          glob,
          null,
          Pattern.compile(
              regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
    }

    @Override
    public boolean matches(String candidate) {
      if (candidate.length() > MAX_PATTERN_INPUT) {
        return false;
      }
      if (prefix != null) {
        return candidate.regionMatches(true, 0, prefix, 0, prefix.length());
      }
      return matcher.get().reset(candidate).matches();
    }

    @Override
    public String requiredPrefix() {
      int wildcard = 0;
      while (wildcard < glob.length()
          && glob.charAt(wildcard) != '*'
          && glob.charAt(wildcard) != '?') {
        wildcard++;
      }
      return glob.substring(0, wildcard);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Glob g && g.glob.equals(glob);
    }

    @Override
    public int hashCode() {
      return glob.hashCode();
    }

    @Override
    public String toString() {
      return "~ '" + glob + "'";
    }
  }

  /**
   * A Java regular expression, found anywhere in the value (anchor it with ^…$ to match whole). A
   * value over {@link #MAX_PATTERN_INPUT} characters, or one the regex engine runs out of stack on,
   * does not match.
   */
  final class Regex implements TextPattern {
    private static final String META = "\\[](){}.*+?^$|";

    private final Pattern compiled;
    private final ThreadLocal<Matcher> matcher;

    /**
     * {@code ^…} without MULTILINE and without any alternation can only match at the start, so
     * there is no need to try every offset.
     */
    private final boolean anchored;

    /**
     * The literal text an anchored pattern starts with ({@code promo-} for {@code ^promo-\d+}): a
     * value that does not start with it cannot match, and most values are turned away by this test
     * alone, before the regex engine runs.
     */
    private final String literalPrefix;

    private final boolean ignoreCase;

    public Regex(Pattern compiled) {
      this.compiled = Objects.requireNonNull(compiled, "compiled");
      this.matcher = ThreadLocal.withInitial(() -> compiled.matcher(""));
      String p = compiled.pattern();
      int flags = compiled.flags();
      this.anchored =
          p.startsWith("^")
              && p.indexOf('|') < 0
              && (flags & (Pattern.MULTILINE | Pattern.COMMENTS | Pattern.LITERAL)) == 0;
      this.ignoreCase = (flags & Pattern.CASE_INSENSITIVE) != 0;
      this.literalPrefix = anchored ? literalPrefix(p) : "";
    }

    /** The literal characters after '^', minus one that a quantifier applies to. */
    private static String literalPrefix(String pattern) {
      int end = 1;
      while (end < pattern.length() && META.indexOf(pattern.charAt(end)) < 0) {
        end++;
      }
      boolean quantified =
          end < pattern.length() && "*?{".indexOf(pattern.charAt(end)) >= 0 && end > 1;
      String prefix = pattern.substring(1, quantified ? end - 1 : end);
      // Non-ASCII letters can fold in ways regionMatches does not mirror: keep the regex honest.
      return prefix.chars().allMatch(c -> c < 128) ? prefix : "";
    }

    @Override
    public String requiredPrefix() {
      return literalPrefix;
    }

    @Override
    public boolean matches(String candidate) {
      if (candidate.length() > MAX_PATTERN_INPUT) {
        return false;
      }
      if (!literalPrefix.isEmpty()
          && !candidate.regionMatches(ignoreCase, 0, literalPrefix, 0, literalPrefix.length())) {
        return false;
      }
      Matcher m = matcher.get().reset(candidate);
      try {
        return anchored ? m.lookingAt() : m.find();
      } catch (StackOverflowError tooDeep) {
        // java.util.regex recurses once per repetition of a group: on a small thread stack even a
        // value under the cap can exhaust it. A regex that cannot be decided does not match.
        return false;
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Regex r
          && r.compiled.pattern().equals(compiled.pattern())
          && r.compiled.flags() == compiled.flags();
    }

    @Override
    public int hashCode() {
      return compiled.pattern().hashCode();
    }

    @Override
    public String toString() {
      return "=~ /" + compiled.pattern() + "/";
    }
  }

  /** The header is there, whatever its value. */
  record Present() implements TextPattern {
    @Override
    public boolean matches(String candidate) {
      return true;
    }

    @Override
    public String toString() {
      return "present";
    }
  }
}
