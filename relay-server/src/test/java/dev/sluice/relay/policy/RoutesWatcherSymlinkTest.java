package dev.sluice.relay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes.yaml as a symbolic link: a Kubernetes config map, or a file kept elsewhere. Each test
 * changes the file twice: the watcher compares the file once as it starts, so only the second
 * change is sure to be seen through the watch.
 */
class RoutesWatcherSymlinkTest {
  @TempDir Path dir;
  private final AtomicInteger reloads = new AtomicInteger();

  /**
   * A config map volume keeps routes.yaml as a link to ..data/routes.yaml and updates it by
   * swapping the ..data link, as kubelet's AtomicWriter does: no event names routes.yaml.
   */
  @Test
  void aConfigMapUpdateIsReloaded() throws Exception {
    Path v1 = Files.createDirectory(dir.resolve("..2024_01_01_v1"));
    Files.writeString(v1.resolve("routes.yaml"), "v1\n");
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Path routes = dir.resolve("routes.yaml");
    Files.createSymbolicLink(routes, Path.of("..data", "routes.yaml"));
    RoutesWatcher watcher =
        RoutesWatcher.start(routes, Duration.ofMillis(100), reloads::incrementAndGet);
    try {
      for (int version = 2; version <= 3; version++) {
        updateConfigMap(version);
        assertThat(Files.readString(routes)).isEqualTo("v" + version + "\n");
        int expected = version - 1;
        Await.until("config map v" + version + " is reloaded", () -> reloads.get() == expected);
      }
    } finally {
      watcher.close();
    }
  }

  @Test
  void aLinkedFileEditedInItsOwnDirectoryIsReloaded() throws Exception {
    Path kept = Files.createDirectory(dir.resolve("kept")).resolve("routes.yaml");
    Files.writeString(kept, "v1\n");
    Path routes = Files.createDirectory(dir.resolve("etc")).resolve("routes.yaml");
    Files.createSymbolicLink(routes, kept);
    RoutesWatcher watcher =
        RoutesWatcher.start(routes, Duration.ofMillis(100), reloads::incrementAndGet);
    try {
      for (int version = 2; version <= 3; version++) {
        Files.writeString(kept, "v" + version + "\n");
        int expected = version - 1;
        Await.until("edit v" + version + " is reloaded", () -> reloads.get() == expected);
      }
    } finally {
      watcher.close();
    }
  }

  /** What kubelet does: a new timestamped directory, ..data_tmp to it, renamed over ..data. */
  private void updateConfigMap(int version) throws IOException {
    Path next = Files.createDirectory(dir.resolve("..2024_01_01_v" + version));
    Files.writeString(next.resolve("routes.yaml"), "v" + version + "\n");
    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, next.getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }
}
