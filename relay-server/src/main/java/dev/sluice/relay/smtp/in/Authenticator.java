package dev.sluice.relay.smtp.in;

import java.util.Objects;

/**
 * Checks SMTP AUTH credentials. May be slow (password hashing): the handler calls it off the event
 * loop. Thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
  /** No identity is ever accepted: for listeners that have no users. */
  Authenticator NONE = (client, user, password) -> new Outcome.Rejected();

  /** Whether {@code username} may log in from {@code clientAddress} with {@code password}. */
  Outcome check(String clientAddress, String username, String password);

  /** The answer to one AUTH attempt. */
  sealed interface Outcome {
    /** Right credentials: the session now belongs to {@code tenant}. */
    record Accepted(String tenant) implements Outcome {
      public Accepted {
        Objects.requireNonNull(tenant, "tenant");
      }
    }

    /** Wrong user name or password. */
    record Rejected() implements Outcome {}

    /** Too many failures from this client lately: not even checked. */
    record Throttled() implements Outcome {}

    /** The check itself failed (a fault of ours, such as an unreadable hash): try again later. */
    record Unavailable() implements Outcome {}
  }
}
