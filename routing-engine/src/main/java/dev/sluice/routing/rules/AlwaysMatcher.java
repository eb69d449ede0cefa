package dev.sluice.routing.rules;

/** A rule without {@code match}: the catch-all. */
public record AlwaysMatcher() implements Matcher {
  @Override
  public boolean matches(MatchContext context) {
    return true;
  }

  @Override
  public String explain(MatchContext context) {
    return "catch-all (no match conditions)";
  }
}
