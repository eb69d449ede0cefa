package dev.sluice.relay.smtp.in;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is on the other end of a session, as far as it is known when a message is accepted.
 *
 * @param address the client's IP address (RFC 5952 text for IPv6)
 * @param helo the name it gave in EHLO/HELO
 * @param esmtp whether it greeted with EHLO rather than HELO
 * @param tls protocol and cipher suite, when the session is encrypted
 * @param authUser the SMTP AUTH identity, when authenticated
 * @param tenant the tenant the AUTH identity belongs to
 * @param trusted whether the client is in {@code trusted_networks}
 */
public record ClientInfo(
    String address,
    String helo,
    boolean esmtp,
    Optional<String> tls,
    Optional<String> authUser,
    Optional<String> tenant,
    boolean trusted) {
  public ClientInfo {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(helo, "helo");
    tls = tls == null ? Optional.empty() : tls;
    authUser = authUser == null ? Optional.empty() : authUser;
    tenant = tenant == null ? Optional.empty() : tenant;
  }

  /** The address as an RFC 5321 §4.1.3 address literal: {@code [192.0.2.7]}, {@code [IPv6:…]}. */
  public String addressLiteral() {
    return literal(address);
  }

  static String literal(String address) {
    return address.indexOf(':') >= 0 ? "[IPv6:" + address + "]" : "[" + address + "]";
  }
}
