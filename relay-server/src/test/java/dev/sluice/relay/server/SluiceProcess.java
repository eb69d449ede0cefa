package dev.sluice.relay.server;

import dev.sluice.relay.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@code sluice run} child process, for the tests that must kill it like an operator (or the
 * kernel) would. Its output is drained so it never blocks on a full pipe, and kept: tests wait for
 * a line, and the last lines explain a failure.
 */
public final class SluiceProcess {
  private static final int TAIL_LINES = 40;

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Boolean> ready = new CompletableFuture<>();
  private volatile boolean drained;

  private SluiceProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code sluice run} and returns once it accepts mail (or fails after 30 s). */
  public static SluiceProcess start(Path config, Path dataDir)
      throws IOException, InterruptedException {
    SluiceProcess sluice = launch(config, dataDir);
    sluice.awaitAccepting();
    return sluice;
  }

  /** Starts {@code sluice run} and returns at once, while it is still starting. */
  public static SluiceProcess launch(Path config, Path dataDir) throws IOException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.relay.cli.SluiceCommand",
                "run",
                "--config",
                config.toString(),
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    SluiceProcess sluice = new SluiceProcess(p);
    CompletableFuture.runAsync(sluice::drain);
    return sluice;
  }

  /** Returns once the process accepts mail; fails if it exits first or after 30 s. */
  public void awaitAccepting() throws InterruptedException {
    try {
      if (!ready.get(30, TimeUnit.SECONDS)) {
        throw new AssertionError("sluice exited before accepting mail:\n" + tail());
      }
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("sluice did not start:\n" + tail(), e);
    }
  }

  /** Returns once the process printed a line containing {@code text}; fails if it exits first. */
  public void awaitOutput(String text) {
    Await.until(
        "sluice prints '" + text + "'", () -> printed(text) || !process.isAlive() && drained);
    if (!printed(text)) {
      throw new AssertionError(
          "sluice exited with status "
              + process.exitValue()
              + " before printing '"
              + text
              + "':\n"
              + tail());
    }
  }

  private boolean printed(String text) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye. Returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("sluice survived SIGKILL");
    }
  }

  /**
   * SIGTERM: the shutdown hook lets attempts in flight finish and closes the spool. Returns the
   * exit status.
   */
  public int stop() throws IOException, InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
    if (!process.waitFor(45, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("sluice did not stop on SIGTERM:\n" + tail());
    }
    Await.until("sluice's last output is read", () -> drained);
    return process.exitValue();
  }

  /**
   * SIGTERM, without waiting: the test watches the stop under way. Sent with kill(1), not {@link
   * Process#destroy}, which also closes the pipe the process prints its last lines to.
   */
  public void terminate() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** SIGHUP, as {@code systemctl reload} sends it. */
  public void hangUp() throws IOException, InterruptedException {
    signal("HUP");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0 && process.isAlive()) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  /** Waits up to {@code wait} for the process to end; true if it has. */
  public boolean exitedWithin(Duration wait) throws InterruptedException {
    return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last lines the process printed. */
  public String tail() {
    synchronized (lines) {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }
  }

  private void drain() {
    try (BufferedReader log =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = log.readLine()) != null) {
        if (line.startsWith("sluice: accepting mail")) {
          ready.complete(true);
        }
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    drained = true;
    ready.complete(false);
  }
}
