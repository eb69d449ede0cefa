package dev.sluice.relay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineWriterTest {
  @TempDir Path dir;

  @Test
  void linesFromManyThreadsAllArriveInEachThreadsOrderAndCloseDrainsTheRest() throws Exception {
    Path file = dir.resolve("sluice.log");
    LineWriter writer = new LineWriter(new RotatingFile(file, 64 << 20, 1));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 2_000; i++) {
                  writer.offer(thread + " " + i);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    writer.close();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(8_000);
    for (int t = 0; t < 4; t++) {
      String prefix = t + " ";
      List<String> own = lines.stream().filter(l -> l.startsWith(prefix)).toList();
      assertThat(own).hasSize(2_000);
      for (int i = 0; i < own.size(); i++) {
        assertThat(own.get(i)).isEqualTo(prefix + i);
      }
    }
    assertThat(writer.dropped()).isZero();
  }

  @Test
  void aLineOfAQuietLogIsWrittenWithoutWaitingForMore() throws Exception {
    Path file = dir.resolve("sluice.log");
    LineWriter writer = new LineWriter(new RotatingFile(file, 1 << 20, 1));
    try {
      writer.offer("first");
      Await.until("the first line in the file", () -> lines(file).contains("first"));
      writer.offer("second");
      Await.until("the second line in the file", () -> lines(file).contains("second"));
    } finally {
      writer.close();
    }
    assertThat(Files.readAllLines(file)).containsExactly("first", "second");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
