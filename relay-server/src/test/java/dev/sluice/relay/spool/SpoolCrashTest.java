package dev.sluice.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of a process that is storing messages loses none that it acknowledged. */
class SpoolCrashTest {
  private static final String END = "";

  @TempDir Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesKillDashNine() throws Exception {
    Path spoolDir = dir.resolve("spool");
    Set<MessageId> acknowledged = new HashSet<>();
    for (int round = 1; round <= 3; round++) {
      int killAfter = ThreadLocalRandom.current().nextInt(20, 400);
      List<MessageId> acks =
          runAndKill(spoolDir, killAfter, dir.resolve("child-" + round + ".err"));
      assertThat(acks).as("acks in round %d", round).hasSizeGreaterThanOrEqualTo(killAfter);
      acknowledged.addAll(acks);

      try (SegmentSpool spool = SpoolFixtures.open(spoolDir)) {
        Set<MessageId> present =
            spool.entries().stream().map(SpoolEntry::id).collect(Collectors.toSet());
        assertThat(present)
            .as("round %d, killed after %d acks", round, killAfter)
            .containsAll(acknowledged);
        assertThat(spool.recoveryReport()).noneMatch(line -> line.contains("quarantined"));
      }
    }
  }

  /** Starts the child, kills it after {@code killAfter} acks, returns every complete ack. */
  private static List<MessageId> runAndKill(Path spoolDir, int killAfter, Path stderr)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                SpoolCrashChild.class.getName(),
                spoolDir.toString(),
                "4")
            .redirectError(stderr.toFile())
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(child.getInputStream(), lines), "crash-child-out");
    reader.start();
    List<MessageId> acks = new ArrayList<>();
    try {
      while (acks.size() < killAfter) {
        String line = lines.poll(20, TimeUnit.SECONDS);
        if (line == null || line.equals(END)) {
          throw new AssertionError(
              "child stopped after " + acks.size() + " acks: " + Files.readString(stderr));
        }
        acks.add(new MessageId(line));
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      reader.join(20_000);
    }
    // Acks printed between the decision and the kill count as well.
    for (String line = lines.poll(); line != null && !line.equals(END); line = lines.poll()) {
      acks.add(new MessageId(line));
    }
    return acks;
  }

  /** Complete lines only: a line cut by the kill has no newline and is dropped. */
  private static void readLines(InputStream in, BlockingQueue<String> lines) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (in) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          lines.add(line.toString(StandardCharsets.US_ASCII));
          line.reset();
        } else {
          line.write(b);
        }
      }
    } catch (IOException e) {
      // The pipe closes when the child dies.
    } finally {
      lines.add(END);
    }
  }
}
