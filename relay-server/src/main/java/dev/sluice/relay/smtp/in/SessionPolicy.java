package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import java.util.Optional;

/**
 * The decisions a session asks of the rest of the server. Implementations must be fast and
 * thread-safe: they run on the connection's event loop.
 */
public interface SessionPolicy {
  /** Accepts everything: for tests of the protocol alone. */
  SessionPolicy OPEN =
      new SessionPolicy() {
        @Override
        public boolean available() {
          return true;
        }

        @Override
        public boolean accepting() {
          return true;
        }

        @Override
        public Optional<SmtpReply> checkSender(ClientInfo client, String sender) {
          return Optional.empty();
        }

        @Override
        public Optional<SmtpReply> checkRecipient(
            ClientInfo client, String sender, String recipient) {
          return Optional.empty();
        }
      };

  /**
   * Whether new sessions are served at all: false while the spool cannot write, so clients are told
   * 421 at once and try another MX or later.
   */
  boolean available();

  /** Whether the spool can take a message now (healthy, above its free-space threshold). */
  boolean accepting();

  /** A refusal of this sender for this client (e.g. a tenant limited to its own domains). */
  Optional<SmtpReply> checkSender(ClientInfo client, String sender);

  /**
   * A refusal of this recipient (e.g. on the tenant's suppression list); {@code sender} is the
   * transaction's reverse-path, empty for the null sender.
   */
  Optional<SmtpReply> checkRecipient(ClientInfo client, String sender, String recipient);
}
