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
  boolean matches(String value);

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
    public String toString() {
      return "= '" + value + "'";
    }
  }

  /**
   * Case-insensitive glob: {@code *} any run, {@code ?} one character. A glob that is a literal
   * followed by one {@code *} (the common {@code promo-*}) is a prefix test, no regex.
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
      if (star == glob.length() - 1 && glob.indexOf('?') < 0) {
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
          glob, null, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
    }

    @Override
    public boolean matches(String candidate) {
      if (prefix != null) {
        return candidate.regionMatches(true, 0, prefix, 0, prefix.length());
      }
      return matcher.get().reset(candidate).matches();
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

  /** A Java regular expression, found anywhere in the value (anchor it with ^…$ to match whole). */
  final class Regex implements TextPattern {
    private final Pattern compiled;
    private final ThreadLocal<Matcher> matcher;

    /**
     * {@code ^…} without MULTILINE and without any alternation can only match at the start, so
     * there is no need to try every offset.
     */
    private final boolean anchored;

    public Regex(Pattern compiled) {
      this.compiled = Objects.requireNonNull(compiled, "compiled");
      this.matcher = ThreadLocal.withInitial(() -> compiled.matcher(""));
      this.anchored =
          compiled.pattern().startsWith("^")
              && compiled.pattern().indexOf('|') < 0
              && (compiled.flags() & Pattern.MULTILINE) == 0;
    }

    @Override
    public boolean matches(String candidate) {
      Matcher m = matcher.get().reset(candidate);
      return anchored ? m.lookingAt() : m.find();
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
