package dev.sluice.routing.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file was rejected; {@link #errors()} holds every problem found, in file order.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
