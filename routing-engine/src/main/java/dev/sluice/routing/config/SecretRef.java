package dev.sluice.routing.config;

import java.util.Objects;

/**
 * Where a secret lives; the engine never holds the secret itself, the server reads it when it
 * connects.
 */
public sealed interface SecretRef {
  /** The secret is the value of an environment variable. */
  record FromEnv(String variable) implements SecretRef {
    public FromEnv {
      Objects.requireNonNull(variable, "variable");
    }

    @Override
    public String toString() {
      return "env:" + variable;
    }
  }

  /** The secret is the content of a file (trailing newline ignored). */
  record FromFile(String path) implements SecretRef {
    public FromFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "file:" + path;
    }
  }
}
