package dev.sluice.relay.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code logging:} section of sluice.yaml: how events and the daemon's own records are written,
 * and where.
 *
 * @param format one JSON object per line, or {@code key=value} text for people
 * @param file where lines go; empty for standard output (journald under systemd)
 * @param maxSize the size at which the file is rotated, in bytes
 * @param keep how many rotated files are kept ({@code sluice.log.1} … {@code sluice.log.N})
 */
public record LoggingConfig(Format format, Optional<Path> file, long maxSize, int keep) {
  public static final long DEFAULT_MAX_SIZE = 100L << 20;
  public static final int DEFAULT_KEEP = 5;

  /** JSON lines to standard output. */
  public static final LoggingConfig DEFAULTS =
      new LoggingConfig(Format.JSON, Optional.empty(), DEFAULT_MAX_SIZE, DEFAULT_KEEP);

  public LoggingConfig {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(file, "file");
    if (maxSize < 1 || keep < 0) {
      throw new IllegalArgumentException("need max_size >= 1 byte and keep >= 0");
    }
  }

  /** How a line looks. */
  public enum Format {
    JSON,
    TEXT
  }
}
