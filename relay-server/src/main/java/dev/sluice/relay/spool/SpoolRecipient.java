package dev.sluice.relay.spool;

import java.util.Objects;

/**
 * One envelope recipient with its RFC 3461 DSN parameters.
 *
 * @param address the forward-path, without angle brackets
 * @param dsnNotify the NOTIFY parameter as received, or null (a record component cannot be named
 *     {@code notify}: it would clash with {@link Object#notify()})
 * @param orcpt the ORCPT parameter as received, or null
 */
public record SpoolRecipient(String address, String dsnNotify, String orcpt) {
  public SpoolRecipient {
    Objects.requireNonNull(address, "address");
  }

  /** A recipient without DSN parameters. */
  public static SpoolRecipient of(String address) {
    return new SpoolRecipient(address, null, null);
  }
}
