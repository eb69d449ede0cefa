package dev.sluice.relay.smtp.out;

import java.util.Objects;

/** SMTP AUTH credentials for an upstream relay. {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {
  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }
}
