package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.server.RawSmtpClient;
import dev.sluice.relay.server.SluiceProcess;
import dev.sluice.relay.spool.SegmentSpool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolOptions;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of DESIGN.md: {@code kill -9} at any moment loses no acknowledged message, and
 * delivery is at least once. A real {@code sluice run} process takes mail from concurrent clients
 * and delivers it to a sink SMTP server at the same time; it is killed with SIGKILL after a random
 * number of acknowledgements and restarted on the same data directory, five times, while the sink
 * keeps counting. After each kill every message that got its 250 must be in the spool or already at
 * the sink; after a last start without load, every one must have reached the sink. Duplicates are
 * counted: a message the sink took just before a kill, whose removal from the spool was not yet
 * written, is delivered again after the restart.
 *
 * <p>The kill moments come from a seed printed with the result; {@code -Dfaults.seed=N} replays
 * them (the scheduling of threads is not replayed, so a replay is close, not identical).
 */
@Tag("faults")
class CrashRecoveryTest {
  private static final int ROUNDS = 5;
  private static final int CLIENTS = 8;

  /**
   * {@code max_active_messages} of the child: at most this many messages are taken from the spool
   * for delivery at once, and a message stays active until its removal is on disk. A kill can
   * therefore leave at most this many delivered-but-not-removed messages, which are the only ones
   * delivered twice (clients never resend, so ingress adds none).
   */
  private static final int ACTIVE = 8;

  /**
   * A round is killed once between {@code KILL_AFTER_MIN} and that plus the spread (excluded) got a
   * 250.
   */
  private static final int KILL_AFTER_MIN = 50;

  private static final int KILL_AFTER_SPREAD = 250;

  private static final String RECIPIENT = "sink@crash.test";
  private static final Pattern TOKEN = Pattern.compile("Subject: (crash-\\S+)\r\n");
  private static final String BODY = ("x".repeat(76) + "\r\n").repeat(26);
  private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesKillMinusNineAndIsDeliveredAfterRestart() throws Exception {
    long began = System.nanoTime();
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.println("crash test: seed=" + seed + " (replay with -Dfaults.seed=" + seed + ")");
    try (ScriptedSmtpServer sink = ScriptedSmtpServer.start("127.0.0.5")) {
      int port = Ports.free();
      Path config = writeConfig(port, sink.address().getPort());
      Path spoolDir = dir.resolve("spool");
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Random random = new Random(seed);
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        for (int round = 0; round < ROUNDS; round++) {
          SluiceProcess sluice = SluiceProcess.start(config, dir);
          try {
            load(
                port,
                round,
                KILL_AFTER_MIN + random.nextInt(KILL_AFTER_SPREAD),
                acknowledged,
                pool);
          } finally {
            sluice.kill();
          }
          // The removal of a delivered message may be lost with the kill, its delivery not: what
          // left the spool is at the sink, whatever was acknowledged is in one or the other.
          Map<String, Integer> stored = storedTokens(spoolDir);
          Set<String> delivered = deliveredTokens(sink).keySet();
          assertThat(
                  acknowledged.stream()
                      .filter(t -> !stored.containsKey(t) && !delivered.contains(t))
                      .toList())
              .as(
                  "acknowledged messages neither in the spool nor at the sink after kill %d (seed %d)",
                  round, seed)
              .isEmpty();
          assertThat(stored.values()).as("messages stored twice").allMatch(n -> n == 1);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(acknowledged)
          .as("acknowledged messages")
          .hasSizeGreaterThanOrEqualTo(ROUNDS * KILL_AFTER_MIN);

      SluiceProcess sluice = SluiceProcess.start(config, dir);
      try {
        awaitDelivery(sluice, sink, acknowledged);
      } finally {
        sluice.stop();
      }
      Map<String, Integer> delivered = deliveredTokens(sink);
      List<String> lost = acknowledged.stream().filter(t -> !delivered.containsKey(t)).toList();
      int duplicates = delivered.values().stream().mapToInt(n -> n - 1).sum();
      System.out.printf(
          "crash test: lost=%d duplicated=%d acknowledged=%d (%d rounds, seed %d, %d ms)%n",
          lost.size(),
          duplicates,
          acknowledged.size(),
          ROUNDS,
          seed,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
      assertThat(lost).as("acknowledged messages never delivered (seed %d)", seed).isEmpty();
      assertThat(sink.messages())
          .as("messages at the sink other than the test's (a DSN would mean a bounce)")
          .allSatisfy(m -> assertThat(m.recipients()).containsExactly(RECIPIENT));
      // Each kill re-delivers at most the ACTIVE messages it caught between delivery and removal.
      assertThat(duplicates).as("extra copies delivered").isLessThanOrEqualTo(ROUNDS * ACTIVE);
    }
  }

  private Path writeConfig(int port, int sinkPort) throws IOException {
    Files.writeString(
        dir.resolve("routes.yaml"),
        "pools:\n"
            + "  sink:\n"
            + "    members: [ { name: sink, relay: { host: 127.0.0.5, port: "
            + sinkPort
            + ", tls: none } } ]\n"
            + "rules: [ { name: everything, route: { pool: sink } } ]\n"
            // Every message goes to one recipient: no per-recipient limit here.
            + "traffic: { recipient_rate: off, health: { recheck: [1s], ramp: 1s } }\n");
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(
        config,
        "hostname: sluice.crash.test\n"
            + "listeners: [ { name: relay, address: \"127.0.0.1:"
            + port
            + "\", mode: relay } ]\n"
            // Segments of about 30 messages: kills land around segment rollovers and deletions.
            + "spool: { dir: spool, min_free: 1MB, segment_size: 64KB }\n"
            + "limits: { max_connections_per_ip: 1000 }\n"
            // A resolver nothing answers on: the child never sends a query beyond loopback.
            + "dns: { resolvers: [ \"127.0.0.1:"
            + Ports.free()
            + "\" ] }\n"
            + "delivery: { retry: [1s],"
            + " max_active_messages: "
            + ACTIVE
            + " }\n"
            + "admin: { address: \"127.0.0.1:0\" }\n"
            + "routes: routes.yaml\n");
    return config;
  }

  /** Runs the clients until {@code killAfter} messages are acknowledged (or all clients ended). */
  private static void load(
      int port, int round, int killAfter, Set<String> acknowledged, ExecutorService pool)
      throws InterruptedException {
    CountDownLatch enough = new CountDownLatch(killAfter);
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      String prefix = "crash-r" + round + "-c" + c + "-";
      clients.add(CompletableFuture.runAsync(() -> send(port, prefix, acknowledged, enough), pool));
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new));
    while (!enough.await(20, TimeUnit.MILLISECONDS) && !all.isDone()) {
      // the clients are still sending
    }
  }

  /** One client: messages back to back on one connection until the server dies. */
  private static void send(
      int port, String prefix, Set<String> acknowledged, CountDownLatch enough) {
    try (RawSmtpClient c = new RawSmtpClient(port)) {
      c.readLine();
      c.send("EHLO crash.test\r\n");
      while (!c.readLine().startsWith("250 ")) {
        // the rest of the EHLO reply
      }
      for (int n = 0; ; n++) {
        String token = prefix + n;
        c.send("MAIL FROM:<load@crash.test>\r\nRCPT TO:<" + RECIPIENT + ">\r\nDATA\r\n");
        c.readLine();
        c.readLine();
        c.readLine();
        c.send("Subject: " + token + "\r\n\r\n" + BODY + ".\r\n");
        String reply = c.readLine();
        if (reply == null || !reply.startsWith("250 2.0.0 Ok: queued as ")) {
          return;
        }
        acknowledged.add(token);
        enough.countDown();
      }
    } catch (IOException e) {
      // the server was killed mid-conversation: what was not acknowledged may be lost
    }
  }

  /**
   * Waits until the sink holds every acknowledged message, failing after {@link #DELIVERY_DEADLINE}
   * or if Sluice exits meanwhile.
   */
  private static void awaitDelivery(
      SluiceProcess sluice, ScriptedSmtpServer sink, Set<String> acknowledged)
      throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
    while (!deliveredTokens(sink).keySet().containsAll(acknowledged)) {
      if (sluice.exitedWithin(Duration.ofMillis(100))) {
        throw new AssertionError("sluice exited while delivering:\n" + sluice.tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "acknowledged messages still undelivered after "
                + DELIVERY_DEADLINE
                + ": "
                + acknowledged.stream()
                    .filter(t -> !deliveredTokens(sink).containsKey(t))
                    .limit(10)
                    .toList());
      }
    }
  }

  /** How many complete copies of each token the sink received for the test's recipient. */
  private static Map<String, Integer> deliveredTokens(ScriptedSmtpServer sink) {
    Map<String, Integer> tokens = new HashMap<>();
    for (ScriptedSmtpServer.ReceivedMessage m : sink.messages()) {
      String text = m.text();
      Matcher token = TOKEN.matcher(text);
      // A copy cut short is not a delivery.
      if (m.recipients().contains(RECIPIENT) && token.find() && text.contains(BODY)) {
        tokens.merge(token.group(1), 1, Integer::sum);
      }
    }
    return tokens;
  }

  /** How many times each token is in the spool (opened here: the child holding it is dead). */
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
