package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import java.util.Map;
import java.util.Objects;

/** The argument of {@code MAIL FROM:} or {@code RCPT TO:}, parsed, or the reply that refuses it. */
public sealed interface PathArgument {
  /**
   * A well-formed path.
   *
   * @param address the mailbox, empty for the null reverse-path {@code <>}
   * @param parameters ESMTP parameters by upper-case keyword; a keyword without value maps to ""
   */
  record Valid(String address, Map<String, String> parameters) implements PathArgument {
    public Valid {
      Objects.requireNonNull(address, "address");
      parameters = Map.copyOf(parameters);
    }

    /** Whether the address uses characters beyond ASCII (needs SMTPUTF8). */
    public boolean isInternational() {
      return address.chars().anyMatch(c -> c > 127);
    }
  }

  /** The argument is refused with this reply (501 or 553 with an enhanced status). */
  record Invalid(SmtpReply reply) implements PathArgument {
    public Invalid {
      Objects.requireNonNull(reply, "reply");
    }
  }
}
