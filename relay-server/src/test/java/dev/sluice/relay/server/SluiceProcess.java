package dev.sluice.relay.server;

import dev.sluice.relay.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  private static final String ADMIN = "admin: { address: \"127.0.0.1:0\" }";

  private final Process process;
  private final Path config;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Boolean> ready = new CompletableFuture<>();
  private volatile boolean drained;

  private SluiceProcess(Process process, Path config) {
    this.process = process;
    this.config = config;
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
    SluiceProcess sluice = new SluiceProcess(p, config);
    CompletableFuture.runAsync(sluice::drain);
    return sluice;
  }

  /**
   * Writes {@code yaml} (with {@code admin: { address: "127.0.0.1:0" }}) to dir/sluice.yaml, with
   * the admin token read from a FIFO: a Sluice started on it (a process, or in the test JVM) stops
   * in the middle of its start, after binding its listeners, until {@link #finishStart}. For the
   * tests of what happens while Sluice starts (a long spool recovery, in real life).
   */
  public static Path configHeldAtStart(Path dir, String yaml)
      throws IOException, InterruptedException {
    Path token = dir.resolve("admin.token");
    if (new ProcessBuilder("mkfifo", token.toString()).inheritIO().start().waitFor() != 0) {
      throw new AssertionError("mkfifo " + token + " failed");
    }
    if (!yaml.contains(ADMIN)) {
      throw new IllegalArgumentException("no '" + ADMIN + "' in\n" + yaml);
    }
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(
        config,
        yaml.replace(ADMIN, "admin: { address: \"127.0.0.1:0\", token_file: " + token + " }"));
    return config;
  }

  /** Returns once a start held by {@link #configHeldAtStart} waits for its admin token. */
  public void awaitHeldStart() {
    awaitOutput("listener relay (relay) on"); // logged just before the token is read
  }

  /** Lets a start held by {@link #configHeldAtStart} go on. */
  public void finishStart() throws IOException {
    Files.writeString(config.resolveSibling("admin.token"), "a-token-held-for-the-test\n");
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
