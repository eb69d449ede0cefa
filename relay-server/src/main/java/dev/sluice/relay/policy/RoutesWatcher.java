package dev.sluice.relay.policy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reloads routes.yaml when it changes on disk. Watches the file's directory rather than the file,
 * so that editors that write a new file and rename it over the old one (vim, sed -i) are seen too;
 * when the file is a symbolic link, the directory of its target as well, and every event in them
 * counts (Kubernetes config maps, a file kept elsewhere). Events are debounced: the reload happens
 * once the directory has been quiet for {@code quiet}, and only when the file's content differs
 * from what was seen last: at first, the bytes the policy in force was read from.
 */
public final class RoutesWatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RoutesWatcher.class.getName());

  private final Path file;
  private final WatchService watch;
  private final Duration quiet;
  private final Runnable reload;
  private final Thread thread;
  private final Set<Path> watched = new HashSet<>();
  private byte[] seen;

  private RoutesWatcher(
      Path file, WatchService watch, Duration quiet, Runnable reload, Optional<byte[]> seen) {
    this.file = file;
    this.watch = watch;
    this.quiet = quiet;
    this.reload = reload;
    this.seen = seen.orElseGet(this::read);
    this.thread = new Thread(this::run, "sluice-routes-watch");
    thread.setDaemon(true);
  }

  /** Starts watching {@code file} as it is now; {@code reload} runs on the watcher's thread. */
  public static RoutesWatcher start(Path file, Duration quiet, Runnable reload) throws IOException {
    return start(file, Optional.empty(), quiet, reload);
  }

  /**
   * Starts watching {@code file}, whose policy in force was read from {@code inForce} (empty: the
   * file as it is now). When the file no longer holds those bytes, it is reloaded at once: it was
   * edited after it was read. {@code reload} runs on the watcher's thread.
   */
  public static RoutesWatcher start(
      Path file, Optional<byte[]> inForce, Duration quiet, Runnable reload) throws IOException {
    Path absolute = file.toAbsolutePath();
    WatchService watch = absolute.getFileSystem().newWatchService();
    RoutesWatcher watcher = new RoutesWatcher(absolute, watch, quiet, reload, inForce);
    try {
      watcher.register(absolute.getParent());
    } catch (IOException e) {
      watch.close();
      throw e;
    }
    watcher.followLink();
    watcher.thread.start();
    return watcher;
  }

  private void register(Path dir) throws IOException {
    if (watched.add(dir)) {
      dir.register(
          watch,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
  }

  /**
   * When the file is a symbolic link, watches the directory of its target too, where an edit in
   * place happens; again after each change, as the target may have moved (a config map's does).
   */
  private void followLink() {
    if (!Files.isSymbolicLink(file)) {
      return;
    }
    try {
      register(file.toRealPath().getParent());
    } catch (IOException e) {
      // A dangling link (between two steps of a swap): the next event looks again.
      LOG.log(Level.DEBUG, "cannot watch the target of {0}: {1}", file, e.toString());
    }
  }

  private void run() {
    try {
      reloadIfChanged();
      while (true) {
        if (!concernsFile(watch.take())) {
          continue;
        }
        // Quiet means no event about the file itself: a log file written beside it all the
        // time must not hold the reload back.
        long quietUntil = System.nanoTime() + quiet.toNanos();
        long left;
        while ((left = quietUntil - System.nanoTime()) > 0) {
          WatchKey more = watch.poll(left, TimeUnit.NANOSECONDS);
          if (more != null && concernsFile(more)) {
            quietUntil = System.nanoTime() + quiet.toNanos();
          }
        }
        reloadIfChanged();
        followLink();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the server is stopping
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "watching {0} stopped: {1}", file, e.toString());
    }
  }

  private void reloadIfChanged() {
    byte[] now = read();
    if (now != null && !Arrays.equals(now, seen)) {
      seen = now;
      reload.run();
    }
  }

  /**
   * Takes the key's events; whether one of them names the file (or the watch overflowed). When the
   * file is a symbolic link every event counts: a config map is updated by swapping a link it goes
   * through ({@code ..data}), and no event names the file; the comparison of its bytes tells a
   * change from a neighbour's write.
   */
  private boolean concernsFile(WatchKey key) {
    boolean link = Files.isSymbolicLink(file);
    boolean concerns = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      concerns |=
          link
              || event.kind() == StandardWatchEventKinds.OVERFLOW
              || file.getFileName().equals(event.context());
    }
    if (!key.reset()) {
      watched.remove((Path) key.watchable()); // the directory is gone: an old config map version
    }
    return concerns;
  }

  /** The file's bytes; null while it is missing (between a delete and a rename) or unreadable. */
  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read {0}: {1}", file, e.toString());
      return null;
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing the watch of {0}: {1}", file, e.toString());
    }
    thread.interrupt();
  }
}
