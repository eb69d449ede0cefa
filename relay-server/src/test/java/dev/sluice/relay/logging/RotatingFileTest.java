package dev.sluice.relay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {
  @TempDir Path dir;

  @Test
  void rotatesBySizeAndKeepsOnlyTheNewestFiles() throws Exception {
    Path log = dir.resolve("logs/sluice.log");
    try (RotatingFile f = new RotatingFile(log, 20, 2)) {
      for (String line :
          List.of("line-one-1", "line-two-2", "line-three", "line-four-", "line-five-")) {
        f.write(line); // 11 bytes each: one line per file
      }
    }
    assertThat(Files.readAllLines(log)).containsExactly("line-five-");
    assertThat(Files.readAllLines(dir.resolve("logs/sluice.log.1"))).containsExactly("line-four-");
    assertThat(Files.readAllLines(dir.resolve("logs/sluice.log.2"))).containsExactly("line-three");
    assertThat(dir.resolve("logs/sluice.log.3")).doesNotExist();
  }

  @Test
  void appendsToTheFileItFindsAtStart() throws Exception {
    Path log = dir.resolve("sluice.log");
    Files.writeString(log, "before\n");
    try (RotatingFile f = new RotatingFile(log, 1 << 20, 1)) {
      f.write("after");
    }
    assertThat(Files.readAllLines(log)).containsExactly("before", "after");
  }
}
