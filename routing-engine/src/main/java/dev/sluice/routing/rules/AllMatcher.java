package dev.sluice.routing.rules;

import java.util.List;
import java.util.stream.Collectors;

/** Every condition holds ({@code all:}, and several keys in one {@code match} mapping). */
public record AllMatcher(List<Matcher> conditions) implements Matcher {
  public AllMatcher {
    conditions = List.copyOf(conditions);
  }

  @Override
  public boolean matches(MatchContext context) {
    for (Matcher m : conditions) {
      if (!m.matches(context)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String explain(MatchContext context) {
    return conditions.stream().map(m -> m.explain(context)).collect(Collectors.joining(" and "));
  }
}
