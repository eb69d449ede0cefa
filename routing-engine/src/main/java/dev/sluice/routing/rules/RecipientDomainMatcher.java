package dev.sluice.routing.rules;

import java.util.Objects;

/** The recipient domain is one of the listed domains or wildcards. */
public record RecipientDomainMatcher(DomainSet domains) implements Matcher {
  public RecipientDomainMatcher {
    Objects.requireNonNull(domains, "domains");
  }

  @Override
  public boolean matches(MatchContext context) {
    return domains.contains(context.recipientDomain());
  }

  @Override
  public String explain(MatchContext context) {
    return "recipient_domain " + context.recipientDomain() + " in " + domains;
  }
}
