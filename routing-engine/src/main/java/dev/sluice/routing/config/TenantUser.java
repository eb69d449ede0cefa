package dev.sluice.routing.config;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP AUTH identity of a tenant. Only a password hash is kept (bcrypt {@code $2b$…} or argon2id
 * {@code $argon2id$…}, made with {@code sluice passwd}); it is never printed.
 */
public record TenantUser(String username, String passwordHash) {
  public TenantUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
  }

  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
  private static final Pattern ARGON2ID =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");

  /**
   * The most memory an argon2id hash may ask for at each login, in KiB: 256 MiB, four times RFC
   * 9106's second recommended option (what {@code sluice passwd} makes). Every AUTH pays it, on
   * each of the threads that check passwords, before the client has proved anything.
   */
  static final long MAX_ARGON2_MEMORY_KIB = 256L << 10;

  /** Whether {@code hash} looks like a hash we can verify, at a cost a login can bear. */
  public static boolean isSupportedHash(String hash) {
    if (BCRYPT.matcher(hash).matches()) {
      return true;
    }
    Matcher m = ARGON2ID.matcher(hash);
    if (!m.matches()) {
      return false;
    }
    long memory = Long.parseLong(m.group(1));
    long passes = Long.parseLong(m.group(2));
    long lanes = Long.parseLong(m.group(3));
    return lanes >= 1
        && lanes <= 255
        && passes >= 1
        && passes <= 100
        && memory >= 8 * lanes
        && memory <= MAX_ARGON2_MEMORY_KIB;
  }

  @Override
  public String toString() {
    return "TenantUser[username=" + username + ", passwordHash=****]";
  }
}
