package dev.sluice.routing.rules;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a header value or an address is compared: exactly, by glob, by regular expression, or only
 * for presence.
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

  /** Case-insensitive glob: {@code *} any run, {@code ?} one character. */
  record Glob(String glob, Pattern compiled) implements TextPattern {
    public static Glob of(String glob) {
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
          glob, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
    }

    @Override
    public boolean matches(String candidate) {
      return compiled.matcher(candidate).matches();
    }

    @Override
    public String toString() {
      return "~ '" + glob + "'";
    }
  }

  /** A Java regular expression, found anywhere in the value (anchor it with ^…$ to match whole). */
  record Regex(Pattern compiled) implements TextPattern {
    public Regex {
      Objects.requireNonNull(compiled, "compiled");
    }

    @Override
    public boolean matches(String candidate) {
      return compiled.matcher(candidate).find();
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
