package dev.sluice.relay.admin;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The bearer token of the admin API. It comes from the environment ({@code SLUICE_ADMIN_TOKEN}),
 * else from {@code admin.token_file}, else it is generated once into {@code <data-dir>/admin.token}
 * (mode 0600), where the CLI on the same machine finds it. The token itself is never logged.
 */
public final class AdminToken {
  public static final String ENV = "SLUICE_ADMIN_TOKEN";
  private static final System.Logger LOG = System.getLogger(AdminToken.class.getName());

  private final byte[] token;

  private AdminToken(String token) {
    this.token = token.strip().getBytes(StandardCharsets.UTF_8);
    if (this.token.length < 16) {
      throw new IllegalArgumentException("the admin token must be at least 16 characters");
    }
  }

  public static AdminToken of(String token) {
    return new AdminToken(token);
  }

  /**
   * The token the daemon serves with.
   *
   * @param env the value of {@code SLUICE_ADMIN_TOKEN}, if set
   * @param file {@code admin.token_file}, if configured: it must exist
   * @param generated where a token is kept when neither is given
   */
  public static AdminToken load(Optional<String> env, Optional<Path> file, Path generated)
      throws IOException {
    if (env.isPresent() && !env.get().isBlank()) {
      return checked(env.get(), ENV);
    }
    if (file.isPresent()) {
      return checked(Files.readString(file.get(), StandardCharsets.UTF_8), file.get().toString());
    }
    if (Files.isRegularFile(generated)) {
      return checked(Files.readString(generated, StandardCharsets.UTF_8), generated.toString());
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    Files.createDirectories(generated.toAbsolutePath().getParent());
    Path tmp = generated.resolveSibling(generated.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, generated, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.log(
        Level.WARNING,
        "no admin token configured: generated one into {0} (set admin.token_file or " + ENV + ")",
        generated);
    return new AdminToken(token);
  }

  /** A token from {@code source}; one too short is a failure to start, named by its source. */
  private static AdminToken checked(String token, String source) throws IOException {
    try {
      return new AdminToken(token);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  /** Whether an {@code Authorization} header carries this token; constant time. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] offered = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, offered);
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
