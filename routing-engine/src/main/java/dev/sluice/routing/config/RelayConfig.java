package dev.sluice.routing.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream relay (smarthost) such as SES, Postmark, SendGrid or Mailgun.
 *
 * @param port TCP port, 1 to 65535
 * @param tls how the connection is secured
 * @param auth credentials to authenticate with, if the relay wants them
 * @param probe time between two active health probes of the relay; empty for none, when its health
 *     is judged from delivery attempts only
 */
public record RelayConfig(
    String host, int port, TlsMode tls, Optional<RelayAuth> auth, Optional<Duration> probe) {
  public RelayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    auth = auth == null ? Optional.empty() : auth;
    probe = probe == null ? Optional.empty() : probe;
  }
}
