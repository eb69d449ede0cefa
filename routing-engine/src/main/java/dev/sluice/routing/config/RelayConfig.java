package dev.sluice.routing.config;

import java.util.Objects;
import java.util.Optional;

/**
 * An upstream relay (smarthost) such as SES, Postmark, SendGrid or Mailgun.
 *
 * @param port TCP port, 1 to 65535
 * @param tls how the connection is secured
 * @param auth credentials to authenticate with, if the relay wants them
 */
public record RelayConfig(String host, int port, TlsMode tls, Optional<RelayAuth> auth) {
  public RelayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    auth = auth == null ? Optional.empty() : auth;
  }
}
