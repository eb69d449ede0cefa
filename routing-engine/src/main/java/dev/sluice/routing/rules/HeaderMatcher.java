package dev.sluice.routing.rules;

import dev.sluice.routing.Headers;
import java.util.Objects;

/** A header of the message matches the pattern; with several headers of that name, any one may. */
public record HeaderMatcher(String name, TextPattern pattern, String key) implements Matcher {
  public HeaderMatcher {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    key = Headers.key(name);
  }

  public HeaderMatcher(String name, TextPattern pattern) {
    this(name, pattern, null);
  }

  @Override
  public boolean matches(MatchContext context) {
    for (String value : context.headers().byKey(key)) {
      if (pattern.matches(value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String explain(MatchContext context) {
    String value = context.headers().first(name).map(v -> "'" + v + "'").orElse("absent");
    return "header " + name + " " + value + " " + pattern;
  }
}
