package dev.sluice.routing.config;

import dev.sluice.routing.rules.Matcher;
import java.util.Objects;

/** One {@code match → route} pair of the ordered rule list; first match wins. */
public record RuleConfig(String name, Matcher match, RouteAction route) {
  public RuleConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(route, "route");
  }
}
