package dev.sluice.relay.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on 127.0.0.1 and a free port, without persistence, in a
 * temporary directory; never the machine's own Redis service:
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   RedisTrafficStore store = new RedisTrafficStore(new ClusterConfig(redis.uri(), …));
 *   redis.stop();    // the store now fails to connect
 *   redis.restart(); // same port, empty
 * }
 * }</pre>
 *
 * Needs {@code /usr/bin/redis-server} (Debian package {@code redis-server}; {@code .ci/run}
 * installs it).
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server and waits until it answers PING. */
  public static RedisServer start() {
    try {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      RedisServer server = new RedisServer(Files.createTempDirectory("sluice-redis"), port);
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code redis://127.0.0.1:PORT/0}. */
  public String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  public int port() {
    return port;
  }

  /** Starts the server again on the same port, empty; it must be stopped. */
  public synchronized void restart() {
    if (process != null) {
      throw new IllegalStateException("redis-server on port " + port + " is running");
    }
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "redis-server",
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--dir",
                      dir.toString()))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      awaitPong();
    } catch (IOException e) {
      throw new UncheckedIOException("starting redis-server on port " + port, e);
    }
  }

  /** Stops the server: connections are closed, new ones refused. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(f -> f.delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitPong() throws IOException {
    try {
      Await.until(
          "redis-server on port " + port + " answers PING", START_TIMEOUT, this::answersPing);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(its log cannot be read: " + e.getMessage() + ")";
    }
  }

  /** Whether the server answers PING yet; fails at once if its process has exited. */
  private boolean answersPing() {
    if (!process.isAlive()) {
      throw new UncheckedIOException(
          new IOException(
              "redis-server on port "
                  + port
                  + " exited with "
                  + process.exitValue()
                  + ": "
                  + log()));
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] reply = s.getInputStream().readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException notYet) {
      return false;
    }
  }
}
