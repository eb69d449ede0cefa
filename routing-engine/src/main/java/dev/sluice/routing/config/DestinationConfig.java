package dev.sluice.routing.config;

import dev.sluice.routing.units.Rate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A receiving provider or domain group (gmail, outlook…), recognised by recipient domain or by the
 * host names of its MX servers, with limits that apply per source IP.
 *
 * @param domains exact domains and {@code *.suffix} wildcards
 * @param mxSuffixes MX host suffixes such as {@code .google.com}: any domain hosted there belongs
 *     here; each with its leading dot, in lower-case A-labels, without a root dot, and claimed by
 *     one destination only
 * @param connections concurrent connections per source IP
 * @param rate messages per source IP
 * @param messagesPerConnection messages sent over one connection before it is closed
 * @param tls how direct-to-MX connections to it are secured: {@code opportunistic} (STARTTLS when
 *     offered, any certificate), {@code required} (STARTTLS with a verified certificate and host
 *     name, or no delivery) or {@code none}
 * @param responses replies of this destination that suspend, throttle or bounce, in file order
 */
public record DestinationConfig(
    String name,
    List<String> domains,
    List<String> mxSuffixes,
    OptionalInt connections,
    Optional<Rate> rate,
    OptionalInt messagesPerConnection,
    TlsMode tls,
    List<ResponseRule> responses) {
  /** The destination of every domain no other destination claims. */
  public static final String DEFAULT = "default";

  public DestinationConfig {
    Objects.requireNonNull(name, "name");
    domains = List.copyOf(domains);
    mxSuffixes = List.copyOf(mxSuffixes);
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(messagesPerConnection, "messagesPerConnection");
    tls = tls == null ? TlsMode.OPPORTUNISTIC : tls;
    responses = List.copyOf(responses);
  }
}
