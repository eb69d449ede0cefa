package dev.sluice.routing.testing;

import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.RoutesLoader;

/**
 * Loads routes.yaml text in tests, failing the test with the loader's messages if it is invalid.
 */
public final class Policies {
  private Policies() {}

  public static RoutesConfig parse(String yaml) {
    try {
      return RoutesLoader.load("routes.yaml", yaml);
    } catch (ConfigException e) {
      throw new AssertionError("policy does not load:\n" + e.getMessage(), e);
    }
  }
}
