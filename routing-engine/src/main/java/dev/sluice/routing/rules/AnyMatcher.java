package dev.sluice.routing.rules;

import java.util.List;

/** At least one condition holds ({@code any:}). */
public record AnyMatcher(List<Matcher> conditions) implements Matcher {
  public AnyMatcher {
    conditions = List.copyOf(conditions);
  }

  @Override
  public boolean matches(MatchContext context) {
    for (Matcher m : conditions) {
      if (m.matches(context)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String explain(MatchContext context) {
    for (Matcher m : conditions) {
      if (m.matches(context)) {
        return "any of " + conditions.size() + ": " + m.explain(context);
      }
    }
    return "none of " + conditions.size() + " conditions";
  }
}
