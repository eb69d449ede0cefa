package dev.sluice.routing.rules;

import java.util.Set;

/** The recipient domain belongs to one of the named destinations (provider groups). */
public record DestinationMatcher(Set<String> destinations) implements Matcher {
  public DestinationMatcher {
    destinations = Set.copyOf(destinations);
  }

  @Override
  public boolean matches(MatchContext context) {
    return destinations.contains(context.destination());
  }

  @Override
  public String explain(MatchContext context) {
    return "destination " + context.destination() + " in " + Sorted.of(destinations);
  }
}
