package dev.sluice.relay.cli;

import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.RoutesLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** Where the routing policy comes from: a routes.yaml file, or the built-in default. */
final class PolicySource {
  static final String DEFAULT_NAME = "built-in default policy";
  private static final String DEFAULT_RESOURCE = "/dev/sluice/relay/default-routes.yaml";

  private PolicySource() {}

  /** Loads {@code file}, or the built-in default policy (one direct-to-MX pool) when empty. */
  static LoadedRoutes load(Optional<Path> file) throws ConfigException, IOException {
    if (file.isPresent()) {
      return LoadedRoutes.read(file.get());
    }
    return LoadedRoutes.of(RoutesLoader.load(DEFAULT_NAME, defaultText()));
  }

  /** The text of the built-in default policy. */
  static String defaultText() {
    try (InputStream in = PolicySource.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + DEFAULT_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
