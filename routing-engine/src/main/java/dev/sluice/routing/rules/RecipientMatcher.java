package dev.sluice.routing.rules;

import java.util.List;

/**
 * The recipient address matches one of the patterns (glob or regex), e.g. {@code ceo@*} or {@code
 * *+test@example.com}.
 */
public record RecipientMatcher(List<TextPattern> patterns) implements Matcher {
  public RecipientMatcher {
    patterns = List.copyOf(patterns);
  }

  @Override
  public boolean matches(MatchContext context) {
    for (TextPattern p : patterns) {
      if (p.matches(context.recipient())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String explain(MatchContext context) {
    return "recipient " + context.recipient() + " matches " + patterns;
  }
}
