package dev.sluice.routing.config;

import java.util.Objects;

/**
 * An SMTP AUTH identity of a tenant. Only a password hash is kept (bcrypt {@code $2b$…} or argon2id
 * {@code $argon2id$…}, made with {@code sluice passwd}); it is never printed.
 */
public record TenantUser(String username, String passwordHash) {
  public TenantUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
  }

  /** Whether {@code hash} looks like a hash we can verify. */
  public static boolean isSupportedHash(String hash) {
    return hash.matches("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}")
        || hash.matches(
            "\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
  }

  @Override
  public String toString() {
    return "TenantUser[username=" + username + ", passwordHash=****]";
  }
}
