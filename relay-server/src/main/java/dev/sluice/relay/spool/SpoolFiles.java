package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of the files in a spool directory. Stateless. */
final class SpoolFiles {
  static final String QUARANTINE_DIR = "quarantine";
  static final String LOCK_FILE = "spool.lock";
  static final String TEMP_SUFFIX = ".tmp";

  private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{6,18})\\.log");
  private static final Pattern SEGMENT = Pattern.compile("bodies-(\\d{6,18})\\.seg");

  private SpoolFiles() {}

  static Path journal(Path dir, long number) {
    return dir.resolve(String.format("journal-%06d.log", number));
  }

  static Path segment(Path dir, long number) {
    return dir.resolve(String.format("bodies-%06d.seg", number));
  }

  /** The journal files of {@code dir} by number, oldest first. */
  static TreeMap<Long, Path> journals(Path dir) throws IOException {
    return list(dir, JOURNAL);
  }

  /** The body segment files of {@code dir} by number. */
  static TreeMap<Long, Path> segments(Path dir) throws IOException {
    return list(dir, SEGMENT);
  }

  /** Deletes what an interrupted checkpoint left behind. */
  static void deleteTemporaryFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static TreeMap<Long, Path> list(Path dir, Pattern pattern) throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher m = pattern.matcher(file.getFileName().toString());
        if (m.matches()) {
          found.put(Long.parseLong(m.group(1)), file);
        }
      }
    }
    return found;
  }
}
