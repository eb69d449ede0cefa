package dev.sluice.routing.rules;

import java.util.Set;

/** The message type (from the message-type header, or the default) is one of the listed types. */
public record MessageTypeMatcher(Set<String> types) implements Matcher {
  public MessageTypeMatcher {
    types = Set.copyOf(types);
  }

  @Override
  public boolean matches(MatchContext context) {
    return types.contains(context.messageType());
  }

  @Override
  public String explain(MatchContext context) {
    return "message_type " + context.messageType() + " in " + Sorted.of(types);
  }
}
