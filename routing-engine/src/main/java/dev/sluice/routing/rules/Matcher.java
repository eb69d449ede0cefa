package dev.sluice.routing.rules;

/**
 * One condition of a rule's {@code match}. Matchers are immutable and thread-safe; {@link #explain}
 * is only called for the rule that won, so it may allocate.
 */
public sealed interface Matcher
    permits AlwaysMatcher,
        AllMatcher,
        AnyMatcher,
        NotMatcher,
        RecipientDomainMatcher,
        DestinationMatcher,
        SenderDomainMatcher,
        RecipientMatcher,
        MessageTypeMatcher,
        HeaderMatcher,
        TenantMatcher,
        ClientNetworkMatcher,
        TimeWindowMatcher,
        PriorityMatcher {

  boolean matches(MatchContext context);

  /** Why this condition holds for {@code context}, with the actual values, e.g. for a trace. */
  String explain(MatchContext context);
}
