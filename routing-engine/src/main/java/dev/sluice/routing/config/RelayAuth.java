package dev.sluice.routing.config;

import java.util.Objects;

/**
 * SMTP AUTH credentials for a relay. The password is only ever a reference (an environment variable
 * or a file), so the policy can be printed, logged and shown without leaking it.
 */
public record RelayAuth(String username, SecretRef password) {
  public RelayAuth {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }
}
