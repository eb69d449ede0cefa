package dev.sluice.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.queue.DeliveryState;
import dev.sluice.relay.server.RawSmtpClient;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.routing.testing.Policies;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: starts a whole Sluice with two relay members in pool {@code
 * main} ({@code alpha} answers, {@code beta} points at a dead port) and runs {@code
 * src/test/browser/dashboard.spec.mjs}, which drives Debian's chromium through playwright-core
 * (suspend, check page and API, test a connection, resume, retry the queue, two screen widths).
 * Alpha defers {@code later@example.net}, so one message waits in the queue for the retry.
 *
 * <p>Needs {@code node} (18+) and {@code chromium} ({@code CHROMIUM} overrides /usr/bin/chromium).
 * Without them the test is skipped on a workstation and fails under CI ({@code CI=true}).
 * playwright-core is installed by {@code npm ci} from the pinned lock file into {@code
 * target/browser}, once; it never downloads a browser.
 */
class DashboardBrowserTest {
  private static final Path SOURCES = Path.of("src/test/browser");
  private static final Path WORK = Path.of("target/browser");
  private static final String LATER = "later@example.net";
  private static final List<String> FILES =
      List.of("package.json", "package-lock.json", "dashboard.spec.mjs");

  @Test
  void operatorSuspendsAndResumesAMemberFromTheDashboard(@TempDir Path dataDir) throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    requireTool(runs("node", "--version"), "node (Debian package nodejs)");
    requireTool(Files.isExecutable(chromium), "chromium at " + chromium);
    installPlaywright();

    try (ScriptedSmtpServer alpha =
        ScriptedSmtpServer.start("127.0.0.1")
            .answerRcptFor(LATER, 451, "4.2.0 Mailbox busy, try again later")) {
      SluiceServer sluice = start(dataDir, alpha.address());
      try {
        queueOneDeferredMessage(sluice);
        InetSocketAddress admin = sluice.adminAddress();
        String url = "http://127.0.0.1:" + admin.getPort() + "/";
        String token = Files.readString(dataDir.resolve("admin.token")).trim();
        Path log = WORK.resolve("dashboard.log");
        ProcessBuilder node =
            new ProcessBuilder("node", "dashboard.spec.mjs", url, token)
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        node.environment().put("CHROMIUM", chromium.toString());
        node.environment().put("SCREENSHOTS", WORK.toAbsolutePath().toString());
        int exit = run(node, 180);
        assertThat(exit)
            .as("dashboard.spec.mjs exit code; its output:%n%s", Files.readString(log))
            .isZero();
      } finally {
        sluice.close();
      }
    }
  }

  /** A message alpha defers and beta cannot take: it waits for its next attempt, minutes away. */
  private static void queueOneDeferredMessage(SluiceServer sluice) throws IOException {
    try (RawSmtpClient c = new RawSmtpClient(sluice.addresses().get(0).getPort())) {
      c.readLine();
      c.send("HELO app.test\r\nMAIL FROM:<app@sender.test>\r\nRCPT TO:<" + LATER + ">\r\n");
      c.send("DATA\r\n");
      for (int i = 0; i < 4; i++) {
        c.readLine();
      }
      c.send("Subject: later\r\n\r\nHello.\r\n.\r\n");
      assertThat(c.readLine()).startsWith("250 ");
    }
    Await.until(
        "the message is deferred",
        () ->
            sluice.spool().entries().stream()
                .anyMatch(e -> DeliveryState.of(e.state()).attempts() == 1));
  }

  private static SluiceServer start(Path dataDir, InetSocketAddress alpha) throws Exception {
    var config =
        ServerConfigLoader.load(
            "sluice.yaml",
            """
            listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
            trusted_networks: [ "127.0.0.1/32" ]
            spool: { dir: spool, min_free: 1MB }
            dns: { resolvers: [ "127.0.0.1:DEAD" ] }
            admin: { address: "127.0.0.1:0" }
            """
                .replace("DEAD", Integer.toString(Ports.free())),
            dataDir);
    var routes =
        Policies.parse(
            """
            pools:
              main:
                members:
                  - { name: alpha, weight: 70, relay: { host: 127.0.0.1, port: ALPHA, tls: none },
                      limits: { per_hour: 500, per_day: 5000 } }
                  - { name: beta, weight: 30, relay: { host: 127.0.0.1, port: DEAD, tls: none } }
            rules: [ { name: default, route: { pool: main } } ]
            """
                .replace("ALPHA", Integer.toString(alpha.getPort()))
                .replace("DEAD", Integer.toString(Ports.refusing())));
    return SluiceServer.start(config, routes, dataDir, Clock.systemUTC());
  }

  /** {@code npm ci} into target/browser unless the pinned playwright-core is already there. */
  private static void installPlaywright() throws Exception {
    Files.createDirectories(WORK);
    boolean lockChanged =
        !Files.exists(WORK.resolve("package-lock.json"))
            || Files.mismatch(
                    SOURCES.resolve("package-lock.json"), WORK.resolve("package-lock.json"))
                != -1;
    for (String file : FILES) {
      Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!lockChanged && Files.exists(WORK.resolve("node_modules/playwright-core/package.json"))) {
      return;
    }
    requireTool(runs("npm", "--version"), "npm (Debian package npm)");
    Path log = WORK.resolve("npm-ci.log");
    ProcessBuilder npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    int exit = run(npm, 300);
    assertThat(exit).as("npm ci in %s:%n%s", WORK, Files.readString(log)).isZero();
  }

  /** Skips the test on a workstation without the tool; under CI a missing tool is a failure. */
  private static void requireTool(boolean present, String what) {
    if (present) {
      return;
    }
    String message = "the dashboard browser test needs " + what + "; install it to run this test";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + " (CI=true: .ci/run installs it)");
    }
    Assumptions.abort(message);
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs a child process; one that outlives {@code seconds} is killed and fails the test. */
  private static int run(ProcessBuilder builder, int seconds) throws Exception {
    Process p = builder.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      fail(
          String.join(" ", builder.command())
              + " did not finish within "
              + seconds
              + " s; output in "
              + builder.redirectOutput().file());
    }
    return p.exitValue();
  }
}
