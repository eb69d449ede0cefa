package dev.sluice.routing.rules;

import java.util.Set;

/** The submitting tenant is one of the listed tenants. */
public record TenantMatcher(Set<String> tenants) implements Matcher {
  public TenantMatcher {
    tenants = Set.copyOf(tenants);
  }

  @Override
  public boolean matches(MatchContext context) {
    return context.tenant().map(tenants::contains).orElse(false);
  }

  @Override
  public String explain(MatchContext context) {
    return "tenant " + context.tenant().orElse("(none)") + " in " + Sorted.of(tenants);
  }
}
