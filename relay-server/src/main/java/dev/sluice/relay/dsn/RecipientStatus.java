package dev.sluice.relay.dsn;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What happened to one recipient, as a DSN reports it (RFC 3464 §2.3).
 *
 * @param recipient the final recipient address, without angle brackets
 * @param orcpt the RFC 3461 ORCPT parameter as received ({@code "rfc822;addr"}, already
 *     xtext-decoded), or null
 * @param action what the report says happened
 * @param status the enhanced status code (RFC 3463), such as {@code 5.1.1} or {@code 4.4.7}
 * @param remoteMta host name of the server that answered, or null
 * @param diagnostic the remote reply as text ({@code "550 5.1.1 no such user"}), or null
 * @param lastAttempt when the last attempt ended, or null
 */
public record RecipientStatus(
    String recipient,
    String orcpt,
    Action action,
    String status,
    String remoteMta,
    String diagnostic,
    Instant lastAttempt) {

  private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  /** The DSN action (RFC 3464 §2.3.3). */
  public enum Action {
    FAILED,
    DELAYED,
    DELIVERED,
    RELAYED,
    EXPANDED;

    /** The value of the {@code Action:} field: {@code failed}, {@code delayed}, … */
    public String fieldValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public RecipientStatus {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    if (!STATUS.matcher(status).matches()) {
      throw new IllegalArgumentException("not an enhanced status code: " + status);
    }
  }
}
