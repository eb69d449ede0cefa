package dev.sluice.routing.rules;

import java.util.Objects;

/** The envelope sender's domain is one of the listed domains or wildcards. */
public record SenderDomainMatcher(DomainSet domains) implements Matcher {
  public SenderDomainMatcher {
    Objects.requireNonNull(domains, "domains");
  }

  @Override
  public boolean matches(MatchContext context) {
    return domains.contains(context.senderDomain());
  }

  @Override
  public String explain(MatchContext context) {
    return "sender_domain " + context.senderDomain() + " in " + domains;
  }
}
