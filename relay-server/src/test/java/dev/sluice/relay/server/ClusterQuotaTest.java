package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.queue.DeliveryState;
import dev.sluice.relay.queue.QueueSummary;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.RedisServer;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.routing.testing.Policies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Sluice nodes sharing a real redis-server: the daily quota of their one relay member is one
 * quota for both, whoever takes the traffic.
 */
class ClusterQuotaTest {
  private static final int QUOTA = 25;
  private static final int PER_NODE = 30;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private SluiceServer node(String name, RedisServer redis, ScriptedSmtpServer relay)
      throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    String yaml =
        """
        hostname: %s.sluice.test
        listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
        trusted_networks: [ "127.0.0.1/32" ]
        spool: { dir: spool, min_free: 1MB }
        dns: { resolvers: [ "127.0.0.1:%d" ] }
        admin: { address: "127.0.0.1:0" }
        delivery: { retry: [ 1h ] }
        cluster: { redis: "%s", nodes: 2 }
        """
            .formatted(name, Ports.free(), redis.uri());
    String routes =
        """
        pools:
          main:
            members:
              - { name: esp, relay: { host: %s, port: %d, tls: none }, limits: { per_day: %d } }
        rules: [ { name: all, route: { pool: main } } ]
        """
            .formatted(
                relay.address().getAddress().getHostAddress(), relay.address().getPort(), QUOTA);
    ServerConfig config = ServerConfigLoader.load("sluice.yaml", yaml, home);
    SluiceServer server =
        SluiceServer.start(config, Policies.parse(routes), home, Clock.systemUTC());
    open.add(server);
    return server;
  }

  @Test
  void twoNodesSharingADailyQuotaNeverExceedItTogether() throws Exception {
    RedisServer redis = RedisServer.start();
    open.add(redis);
    ScriptedSmtpServer relay = ScriptedSmtpServer.start("127.0.0.21");
    open.add(relay);
    SluiceServer a = node("a", redis, relay);
    SluiceServer b = node("b", redis, relay);

    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (SluiceServer node : List.of(a, b)) {
        sent.add(clients.submit(() -> submitAll(node)));
      }
      for (Future<Integer> f : sent) {
        assertThat(f.get()).isEqualTo(PER_NODE);
      }
    } finally {
      clients.shutdownNow();
    }

    relay.awaitMessages(QUOTA, Duration.ofSeconds(60));
    // Settled: every message over the quota was routed, found no member with quota left and was
    // deferred (its first failed round recorded), and nothing is in flight or waiting to start.
    // Its next round is an hour away, so no attempt can reach the relay after this.
    Await.until(
        "the two nodes have settled every message",
        () ->
            queued(a) + queued(b) == 2 * PER_NODE - QUOTA
                && deferred(a)
                && deferred(b)
                && idle(a)
                && idle(b));
    assertThat(relay.messages()).hasSize(QUOTA);
    assertThat(a.spool().entries().size() + b.spool().entries().size())
        .as("messages still queued, waiting for tomorrow's quota")
        .isEqualTo(2 * PER_NODE - QUOTA);
  }

  private static int queued(SluiceServer node) {
    return node.spool().entries().size();
  }

  private static boolean deferred(SluiceServer node) {
    return node.spool().entries().stream()
        .allMatch(e -> DeliveryState.of(e.state()).attempts() >= 1);
  }

  private static boolean idle(SluiceServer node) {
    QueueSummary q = node.scheduler().summary().join();
    return q.ready() == 0 && q.inFlight() == 0 && q.active() == 0;
  }

  /** Submits PER_NODE messages, each to its own recipient; returns how many were accepted. */
  private static int submitAll(SluiceServer node) throws IOException {
    int accepted = 0;
    int port = node.addresses().get(0).getPort();
    for (int i = 0; i < PER_NODE; i++) {
      try (RawSmtpClient c = new RawSmtpClient(port)) {
        c.readLine();
        c.send("HELO app.test\r\n");
        c.readLine();
        c.send(
            "MAIL FROM:<app@sender.test>\r\nRCPT TO:<user"
                + port
                + "-"
                + i
                + "@example.net>\r\nDATA\r\n");
        c.readLine();
        c.readLine();
        c.readLine();
        c.send("Subject: quota " + i + "\r\n\r\nHello.\r\n.\r\nQUIT\r\n");
        if (c.readLine().startsWith("250 ")) {
          accepted++;
        }
      }
    }
    return accepted;
  }
}
