package dev.sluice.relay.smtp.out;

import dev.sluice.routing.config.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Reads a relay password where routes.yaml says it lives, each time a connection needs it (a
 * rotated file or a restarted unit's environment is picked up). Messages name the variable or the
 * file, never the secret.
 */
final class SecretReader {
  private final UnaryOperator<String> environment;

  SecretReader(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  static SecretReader system() {
    return new SecretReader(System::getenv);
  }

  /** The secret; IOException with a message fit for logs when it cannot be had. */
  String read(SecretRef ref) throws IOException {
    if (ref instanceof SecretRef.FromEnv env) {
      String value = environment.apply(env.variable());
      if (value == null || value.isEmpty()) {
        throw new IOException("password_env " + env.variable() + " is not set");
      }
      return value;
    }
    SecretRef.FromFile file = (SecretRef.FromFile) ref;
    try {
      String value = Files.readString(Path.of(file.path()), StandardCharsets.UTF_8);
      return value.endsWith("\r\n")
          ? value.substring(0, value.length() - 2)
          : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    } catch (IOException e) {
      throw new IOException(
          "password_file " + file.path() + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }
}
