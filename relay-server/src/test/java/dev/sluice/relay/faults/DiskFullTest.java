package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on a small tmpfs of its own ({@code size=4m,nr_inodes=64}, mounted by the test, which
 * needs root as in CI), filled in the two ways a disk fills (docs/spool.md, "Disk full and I/O
 * errors"):
 *
 * <ul>
 *   <li>no inode left: the free-space check passes, the kernel refuses the new body segment with
 *       ENOSPC, the batch fails, the client gets 452 4.3.1 after its final dot (and new sessions
 *       421 4.3.2 until a write succeeded again);
 *   <li>bytes under {@code min_free}: the check refuses at once, 452 4.3.1 at MAIL FROM.
 * </ul>
 *
 * Messages acknowledged before are held in the spool meanwhile (the upstream answers 451) and all
 * delivered at the end; refused ones never are; and mail is accepted again as soon as space
 * returns, without a restart.
 */
@Tag("faults")
class DiskFullTest {
  private static final String BODY = ("z".repeat(70) + "\r\n").repeat(10);
  private static final String FULL = "452 4.3.1 Insufficient system storage, try again later";
  private static final String UNAVAILABLE = "421 4.3.2 Mail storage unavailable, try again later";
  private static final Logger INGRESS =
      Logger.getLogger("dev.sluice.relay.smtp.in.SmtpServerHandler");

  @TempDir Path dir;

  @Test
  void fullSpoolDiskGets452LosesNothingAndAcceptsAgainWhenSpaceReturns() throws Exception {
    Path mount = dir.resolve("tmpfs");
    Files.createDirectories(mount);
    mountTmpfs(mount);
    List<String> refusals = new CopyOnWriteArrayList<>();
    Handler listener =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            refusals.add(new SimpleFormatter().formatMessage(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    INGRESS.addHandler(listener);
    try (ScriptedSmtpServer sink = ScriptedSmtpServer.start("127.0.0.1")) {
      sink.answerData(451, "4.3.0 Not now");
      int port = sink.address().getPort();
      String spool = "spool: { dir: \"" + mount.resolve("spool") + "\", min_free: 1MB }\n";
      Set<String> acknowledged = new HashSet<>();
      Set<String> refused = new HashSet<>();
      try (FaultSluice sluice = FaultSluice.start(dir, port, spool)) {
        for (int i = 0; i < 10; i++) {
          assertThat(sluice.send("before-" + i, BODY)).startsWith("250 2.0.0 Ok: queued as ");
          acknowledged.add("before-" + i);
        }
      }

      // Restarted: its first message needs a new body segment, hence an inode.
      try (FaultSluice sluice = FaultSluice.start(dir, port, spool)) {
        Path inodes = mount.resolve("inodes");
        fillInodes(inodes);
        List<String> whileFull = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          whileFull.add(sluice.send("no-inode-" + i, BODY));
          refused.add("no-inode-" + i);
        }
        // Until a write succeeded again (the spool probes every second), new sessions get 421.
        assertThat(whileFull).allMatch(r -> r.equals(FULL) || r.equals(UNAVAILABLE)).contains(FULL);
        assertThat(refusals)
            .as("the kernel's ENOSPC reached ingress")
            .anyMatch(line -> line.contains("No space left on device"));
        deleteAll(inodes);
        List<String> untilAccepted = new ArrayList<>();
        Await.until(
            "a message is accepted again after the inodes were freed",
            () -> {
              String token = "freed-" + untilAccepted.size();
              String reply = send(sluice, token);
              untilAccepted.add(reply);
              (reply.startsWith("250 ") ? acknowledged : refused).add(token);
              return reply.startsWith("250 ");
            });
        assertThat(untilAccepted)
            .allMatch(r -> r.equals(FULL) || r.equals(UNAVAILABLE) || r.startsWith("250 2.0.0"));

        Path filler = mount.resolve("filler");
        fill(filler, Files.getFileStore(mount).getUsableSpace() - (512 << 10));
        assertThat(send(sluice, "under-threshold")).isEqualTo(FULL);
        refused.add("under-threshold");
        Files.delete(filler);
        for (int i = 0; i < 5; i++) {
          assertThat(send(sluice, "after-" + i)).startsWith("250 2.0.0 Ok: queued as ");
          acknowledged.add("after-" + i);
        }

        sink.answerData(451, "4.3.0 Not now", 0); // the upstream accepts from now on
        Await.until(
            "every acknowledged message is at the sink",
            () -> FaultSluice.delivered(sink).keySet().containsAll(acknowledged));
        Await.until("the spool is empty", () -> sluice.server.spool().entries().isEmpty());
      }
      assertThat(FaultSluice.delivered(sink).keySet())
          .as("delivered: exactly the acknowledged messages")
          .isEqualTo(acknowledged)
          .doesNotContainAnyElementsOf(refused);
    } finally {
      INGRESS.removeHandler(listener);
      unmount(mount);
    }
  }

  private static String send(FaultSluice sluice, String token) {
    try {
      return sluice.send(token, BODY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void mountTmpfs(Path at) throws IOException, InterruptedException {
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=4m,nr_inodes=64", "tmpfs", at.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(
        mount.waitFor() == 0,
        "mounting a tmpfs needs root (CAP_SYS_ADMIN); this user may not: " + output.strip());
  }

  /**
   * Detaches the mount at once ({@code umount --lazy}): the stopped server's journal stays memory
   * mapped until its buffer is garbage collected (recovery replays the journal from a map), which
   * keeps a plain umount busy; the tmpfs goes away with the mapping.
   */
  private static void unmount(Path at) throws IOException, InterruptedException {
    Process umount = new ProcessBuilder("umount", "--lazy", at.toString()).inheritIO().start();
    if (umount.waitFor() != 0) {
      throw new AssertionError("umount --lazy " + at + " failed");
    }
  }

  /** Creates empty files until the file system has no inode left (ENOSPC). */
  private static void fillInodes(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int n = 0; ; n++) {
      try {
        Files.createFile(dir.resolve("f" + n));
      } catch (IOException full) {
        assertThat(full).hasMessageContaining("No space left on device");
        return;
      }
    }
  }

  private static void fill(Path file, long bytes) throws IOException {
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(64 << 10);
      for (long written = 0; written < bytes; ) {
        block.clear().limit((int) Math.min(block.capacity(), bytes - written));
        written += out.write(block);
      }
    }
  }

  private static void deleteAll(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }
}
