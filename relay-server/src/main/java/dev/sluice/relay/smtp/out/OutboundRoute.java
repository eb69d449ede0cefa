package dev.sluice.relay.smtp.out;

import dev.sluice.routing.config.TlsMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how one outbound connection is made.
 *
 * @param remote the server's address and port
 * @param hostName the server's name (MX host or relay host): SNI and certificate verification use
 *     it, logs show it
 * @param source the local address to bind to (the member's {@code source_ip}), or empty for the
 *     system's choice
 * @param ehloName the name announced in EHLO
 * @param tls how the connection is secured
 * @param credentials what to AUTH with (upstream relays), or empty
 */
public record OutboundRoute(
    InetSocketAddress remote,
    String hostName,
    Optional<InetAddress> source,
    String ehloName,
    TlsMode tls,
    Optional<Credentials> credentials) {
  public OutboundRoute {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(hostName, "hostName");
    source = source == null ? Optional.empty() : source;
    Objects.requireNonNull(ehloName, "ehloName");
    Objects.requireNonNull(tls, "tls");
    credentials = credentials == null ? Optional.empty() : credentials;
  }

  /** {@code 127.0.0.2→mx1.example.net[127.0.0.9]:25}, for logs and exception messages. */
  public String describe() {
    return source.map(InetAddress::getHostAddress).orElse("*")
        + "→"
        + hostName
        + "["
        + remote.getAddress().getHostAddress()
        + "]:"
        + remote.getPort();
  }
}
