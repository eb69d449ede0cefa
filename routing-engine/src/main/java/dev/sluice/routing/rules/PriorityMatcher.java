package dev.sluice.routing.rules;

/**
 * The message priority (from the priority header) is within {@code [min, max]}; 1 is the most
 * urgent.
 */
public record PriorityMatcher(int min, int max) implements Matcher {
  @Override
  public boolean matches(MatchContext context) {
    if (context.priority().isEmpty()) {
      return false;
    }
    int p = context.priority().getAsInt();
    return p >= min && p <= max;
  }

  @Override
  public String explain(MatchContext context) {
    String actual =
        context.priority().isPresent() ? String.valueOf(context.priority().getAsInt()) : "(none)";
    return "priority " + actual + " in " + (min == max ? min : min + "-" + max);
  }
}
