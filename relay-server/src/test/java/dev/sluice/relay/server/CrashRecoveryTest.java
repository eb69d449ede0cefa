package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.spool.SegmentSpool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of DESIGN.md: {@code kill -9} at any moment loses no acknowledged message. A real
 * {@code sluice run} process takes mail from concurrent clients, is killed with SIGKILL at a random
 * moment, restarted on the same spool, three times; every message that got its 250 must then be in
 * the spool. Duplicates are counted (a client that lost its connection before the 250 would resend;
 * ours do not, so none are expected).
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 3;
  private static final int CLIENTS = 8;
  private static final Pattern TOKEN = Pattern.compile("Subject: (crash-\\S+)\r\n");

  @TempDir Path dir;

  @Test
  void killMinusNineLosesNoAcknowledgedMessage() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(
        config,
        "listeners: [ { name: relay, address: \"127.0.0.1:"
            + port
            + "\", mode: relay } ]\n"
            + "spool: { dir: spool, min_free: 1MB }\n"
            + "limits: { max_connections_per_ip: 1000 }\n");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Random random = new Random();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    for (int round = 0; round < ROUNDS; round++) {
      Process sluice = start(config);
      try {
        int killAfter = 50 + random.nextInt(250);
        AtomicInteger acks = new AtomicInteger();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          String prefix = "crash-r" + round + "-c" + c + "-";
          clients.add(
              CompletableFuture.runAsync(() -> send(port, prefix, acknowledged, acks), pool));
        }
        while (acks.get() < killAfter && clients.stream().anyMatch(f -> !f.isDone())) {
          Thread.onSpinWait();
        }
      } finally {
        sluice.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no goodbye
        assertThat(sluice.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
    }
    pool.shutdownNow();
    Map<String, Integer> stored = storedTokens(dir.resolve("spool"));
    assertThat(acknowledged).as("acknowledged messages").hasSizeGreaterThan(ROUNDS * 50);
    assertThat(acknowledged).allSatisfy(token -> assertThat(stored).containsKey(token));
    long duplicates = stored.values().stream().filter(n -> n > 1).count();
    assertThat(duplicates).isZero();
  }

  private Process start(Path config) throws IOException, InterruptedException {
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
                dir.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader log =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Boolean> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = log.readLine()) != null) {
                  if (line.startsWith("sluice: accepting mail")) {
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    try {
      assertThat(ready.get(30, TimeUnit.SECONDS)).as("sluice started").isTrue();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new AssertionError("sluice did not start", e);
    }
    // Keep draining its output so it never blocks on a full pipe.
    CompletableFuture.runAsync(
        () -> {
          try {
            while (log.readLine() != null) {
              // discard
            }
          } catch (IOException e) {
            // the process is gone
          }
        });
    return p;
  }

  /** One client: messages back to back on one connection until the server dies. */
  private static void send(int port, String prefix, Set<String> acknowledged, AtomicInteger acks) {
    try (RawSmtpClient c = new RawSmtpClient(port)) {
      c.readLine();
      c.send("EHLO crash.test\r\n");
      while (!c.readLine().startsWith("250 ")) {
        // the rest of the EHLO reply
      }
      for (int n = 0; ; n++) {
        String token = prefix + n;
        c.send("MAIL FROM:<load@crash.test>\r\nRCPT TO:<sink@crash.test>\r\nDATA\r\n");
        c.readLine();
        c.readLine();
        c.readLine();
        c.send("Subject: " + token + "\r\n\r\n" + ("x".repeat(76) + "\r\n").repeat(26) + ".\r\n");
        String reply = c.readLine();
        if (reply == null || !reply.startsWith("250 2.0.0 Ok: queued as ")) {
          return;
        }
        acknowledged.add(token);
        acks.incrementAndGet();
      }
    } catch (IOException e) {
      // the server was killed mid-conversation: what was not acknowledged may be lost
    }
  }

  private static Map<String, Integer> storedTokens(Path spoolDir) throws IOException {
    Map<String, Integer> tokens = new HashMap<>();
    try (SegmentSpool spool =
        SegmentSpool.open(
            spoolDir, SpoolOptions.defaults().withMinFreeBytes(0), Clock.systemUTC())) {
      for (SpoolEntry e : spool.entries()) {
        ByteBuffer body = spool.readBody(e.id());
        Matcher m = TOKEN.matcher(StandardCharsets.UTF_8.decode(body));
        if (m.find()) {
          tokens.merge(m.group(1), 1, Integer::sum);
        }
      }
    }
    return tokens;
  }
}
