package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import java.util.Objects;

/**
 * What the session asks its connection to do after a line: the pure state machine decides, the
 * Netty handler carries it out.
 */
public sealed interface SessionEffect {
  /** Send this reply. */
  record Reply(SmtpReply reply) implements SessionEffect {
    public Reply {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** Start the TLS handshake now; input buffered before it must be discarded (CVE-2011-0411). */
  record StartTls() implements SessionEffect {}

  /**
   * Check these credentials (slow: a password hash) off the event loop, then call {@link
   * SessionState#authenticated}.
   */
  record VerifyCredentials(String username, String password) implements SessionEffect {
    public VerifyCredentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "VerifyCredentials[username=" + username + ", password=****]";
    }
  }

  /** Store this message durably, then call {@link SessionState#stored} with the outcome. */
  record Store(Transaction transaction) implements SessionEffect {
    public Store {
      Objects.requireNonNull(transaction, "transaction");
    }
  }

  /** Close the connection after the replies are written. */
  record Close() implements SessionEffect {}
}
