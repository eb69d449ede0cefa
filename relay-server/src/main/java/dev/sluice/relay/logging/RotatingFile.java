package dev.sluice.relay.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file rotated by size: once the next line would take it past {@code maxSize}, {@code
 * sluice.log} becomes {@code sluice.log.1}, {@code .1} becomes {@code .2} … and the oldest beyond
 * {@code keep} is deleted. Appends to an existing file at start. Not thread-safe: one writer.
 */
public final class RotatingFile implements LogOutput {
  private final Path file;
  private final long maxSize;
  private final int keep;
  private OutputStream out;
  private long size;

  public RotatingFile(Path file, long maxSize, int keep) throws IOException {
    this.file = file;
    this.maxSize = maxSize;
    this.keep = keep;
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    open();
  }

  @Override
  public void write(String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    if (size > 0 && size + bytes.length > maxSize) {
      rotate();
    }
    out.write(bytes);
    size += bytes.length;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void rotate() throws IOException {
    out.close();
    Files.deleteIfExists(numbered(keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(numbered(i))) {
        Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (keep > 0) {
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(file);
    }
    open();
  }

  private void open() throws IOException {
    out =
        new java.io.BufferedOutputStream(
            Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE));
    size = Files.size(file);
  }

  private Path numbered(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }
}
