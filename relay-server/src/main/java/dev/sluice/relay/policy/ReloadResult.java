package dev.sluice.relay.policy;

import java.util.List;

/** What a reload of routes.yaml came to. */
public sealed interface ReloadResult {
  /** The file was valid and is the policy in force now. */
  record Reloaded(Policy policy) implements ReloadResult {}

  /**
   * The file was refused; the policy in force did not change.
   *
   * @param errors {@code file:line:column: message}, one per problem
   */
  record Invalid(List<String> errors) implements ReloadResult {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  /** The server runs on the built-in default policy: there is no file to reload. */
  record NoFile() implements ReloadResult {}
}
