package dev.sluice.relay.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one line a command prints when a file it was given cannot be read ({@code /etc/sluice.yaml:
 * no such file}): a user's mistake to fix, not a stack trace.
 */
final class FileErrors {
  private FileErrors() {}

  /**
   * @param file the file being read, named when {@code e} does not name one itself (a text that is
   *     not UTF-8)
   */
  static String describe(Path file, IOException e) {
    if (e instanceof CharacterCodingException) {
      return file + ": the file is not valid UTF-8";
    }
    if (e instanceof FileSystemException f && f.getFile() != null) {
      return describe(e);
    }
    return file + ": cannot read: " + e.getMessage();
  }

  /** As {@link #describe(Path, IOException)}, for a failure of no one known file. */
  static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      return f.getFile() + ": " + reason(f);
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static String reason(FileSystemException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getReason() != null ? e.getReason() : "cannot read";
  }
}
