package dev.sluice.routing.config;

import java.util.Objects;

/**
 * One problem in a configuration file, at a 1-based line and column, printed the way compilers
 * print them: {@code routes.yaml:42:7: pool 'eu' is not defined (did you mean 'eu-west'?)}.
 */
public record ConfigError(String file, int line, int column, String message)
    implements Comparable<ConfigError> {
  public ConfigError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(ConfigError o) {
    return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
