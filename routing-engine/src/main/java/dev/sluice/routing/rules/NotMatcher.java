package dev.sluice.routing.rules;

import java.util.Objects;

/** The condition does not hold ({@code not:}). */
public record NotMatcher(Matcher condition) implements Matcher {
  public NotMatcher {
    Objects.requireNonNull(condition, "condition");
  }

  @Override
  public boolean matches(MatchContext context) {
    return !condition.matches(context);
  }

  @Override
  public String explain(MatchContext context) {
    return "not (" + condition.explain(context) + ")";
  }
}
