package dev.sluice.relay.policy;

import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.RoutesLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The routing policy a daemon starts with, and the bytes of the routes.yaml it was read from. The
 * file watcher starts from those bytes rather than from the file as it is when the watcher starts
 * (last, after a spool recovery that may take minutes), so an edit saved in between is seen and
 * applied. Immutable.
 */
public final class LoadedRoutes {
  private final RoutesConfig config;
  private final byte[] bytes;

  private LoadedRoutes(RoutesConfig config, byte[] bytes) {
    this.config = Objects.requireNonNull(config, "config");
    this.bytes = bytes;
  }

  /** Reads and validates {@code file}; errors name it as given. */
  public static LoadedRoutes read(Path file) throws ConfigException, IOException {
    byte[] bytes = Files.readAllBytes(file);
    // Decoded strictly, as Files.readString does: a file that is not UTF-8 is an I/O error.
    String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    return new LoadedRoutes(RoutesLoader.load(file.toString(), text), bytes);
  }

  /**
   * A policy that was not read from routes.yaml (the built-in default, or one built in code): a
   * watcher, if any, starts from the file as it finds it.
   */
  public static LoadedRoutes of(RoutesConfig config) {
    return new LoadedRoutes(config, null);
  }

  public RoutesConfig config() {
    return config;
  }

  /** The bytes of the file the policy was read from; empty when it was not read from one. */
  public Optional<byte[]> bytes() {
    return Optional.ofNullable(bytes).map(byte[]::clone);
  }
}
