package dev.sluice.relay.spool;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the spool keeps of an SMTP transaction besides the body. Immutable. The fields that repeat
 * across messages (sender, tenant, client, HELO, TLS, AUTH identity, RET) are {@link SharedStrings
 * shared}: a large queue keeps one copy of each.
 *
 * @param sender the reverse-path without angle brackets; empty for the null sender {@code <>}
 * @param recipients the accepted recipients, in RCPT order
 * @param tenant the tenant that submitted the message, or null
 * @param clientAddress the client's IP address (and port) as text
 * @param helo the EHLO/HELO argument
 * @param tls protocol and cipher suite when the session used TLS, or null
 * @param authUser the SMTP AUTH identity, or null
 * @param envid the RFC 3461 ENVID parameter, or null
 * @param ret the RFC 3461 RET parameter ({@code FULL} or {@code HDRS}), or null
 * @param receivedAt when the body was received
 * @param size the body size in bytes
 * @param routingHeaders the routing headers read at acceptance (route, message type, priority), by
 *     header name; the body may no longer carry them
 */
public record SpoolEnvelope(
    String sender,
    List<SpoolRecipient> recipients,
    String tenant,
    String clientAddress,
    String helo,
    String tls,
    String authUser,
    String envid,
    String ret,
    Instant receivedAt,
    long size,
    Map<String, String> routingHeaders) {

  public SpoolEnvelope {
    routingHeaders = Map.copyOf(routingHeaders);
    sender = SharedStrings.of(Objects.requireNonNull(sender, "sender"));
    recipients = List.copyOf(recipients);
    tenant = SharedStrings.of(tenant);
    clientAddress = SharedStrings.of(Objects.requireNonNull(clientAddress, "clientAddress"));
    helo = SharedStrings.of(Objects.requireNonNull(helo, "helo"));
    tls = SharedStrings.of(tls);
    authUser = SharedStrings.of(authUser);
    ret = SharedStrings.of(ret);
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }

  /**
   * A message Sluice writes itself (a DSN, an operator's test message): no client, no TLS, no AUTH,
   * no DSN parameters, no routing headers; {@code helo} is this host's name.
   */
  public static SpoolEnvelope local(
      String sender,
      SpoolRecipient recipient,
      String tenant,
      String hostname,
      Instant at,
      long size) {
    return new SpoolEnvelope(
        sender,
        List.of(recipient),
        tenant,
        "",
        hostname,
        null,
        null,
        null,
        null,
        at,
        size,
        Map.of());
  }
}
