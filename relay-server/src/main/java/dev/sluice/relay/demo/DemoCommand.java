package dev.sluice.relay.demo;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RoutesConfig;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: Sluice with a bundled policy and three simulated providers on loopback, fed
 * by a steady stream of messages. After {@code --fail-after} the main provider answers 421 for
 * {@code --fail-for}: its member goes down, traffic fails over to the other, and once the provider
 * is back the member returns on probation and ramps up. A status line every few seconds, and the
 * dashboard, show it happen.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run Sluice with simulated providers and traffic: routing, failover and recovery on one"
            + " machine.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "var/demo",
      description = "Where the demo's config, spool and token go (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8025",
      description = "Admin API and dashboard address (default: ${DEFAULT-VALUE}; port 0: any).")
  private String admin;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Messages per second (default: ${DEFAULT-VALUE}).")
  private int rate;

  @Option(
      names = "--fail-after",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "When postmark-sim starts answering 421 (default: ${DEFAULT-VALUE}).")
  private Duration failAfter;

  @Option(
      names = "--fail-for",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long it keeps answering 421 (default: ${DEFAULT-VALUE}).")
  private Duration failFor;

  @Option(
      names = "--duration",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description = "Stop after this long (default: run until Ctrl-C).")
  private Duration duration;

  @Option(
      names = "--every",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often a status line is printed (default: ${DEFAULT-VALUE}).")
  private Duration every;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (rate < 1 || rate > 1000) {
      err.println("sluice demo: --rate must be between 1 and 1000");
      return 2;
    }
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    List<SimulatedUpstream> upstreams = new ArrayList<>();
    try {
      for (String name : List.of("postmark-sim", "ses-sim", "smarthost-sim")) {
        upstreams.add(new SimulatedUpstream(name).start(group));
      }
      Path config = writeConfig(upstreams);
      ServerConfig server;
      LoadedRoutes routes;
      try {
        server = ServerConfigLoader.load(config);
        routes = LoadedRoutes.read(server.routes().orElseThrow());
      } catch (ConfigException e) {
        e.errors().stream().map(ConfigError::toString).forEach(err::println);
        return 1;
      }
      try (SluiceServer sluice = SluiceServer.start(server, routes, dataDir, Clock.systemUTC());
          DemoTraffic traffic = new DemoTraffic(sluice.addresses().get(0))) {
        banner(out, sluice);
        traffic.start(rate);
        run(out, sluice, routes.config(), traffic, upstreams.get(0), upstreams);
        out.println("sluice demo: stopping");
        out.flush();
      }
      return 0;
    } finally {
      upstreams.forEach(SimulatedUpstream::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private void banner(PrintWriter out, SluiceServer sluice) {
    InetSocketAddress a = sluice.adminAddress();
    out.println("sluice demo: Sluice is running with three simulated providers on loopback.");
    out.println("  dashboard:  http://" + a.getHostString() + ":" + a.getPort() + "/");
    out.println(
        "  token:      in "
            + dataDir.resolve("admin.token").toAbsolutePath()
            + " (paste it into the dashboard)");
    InetSocketAddress relay = sluice.addresses().get(0);
    out.println(
        "  relay:      "
            + relay.getHostString()
            + ":"
            + relay.getPort()
            + " (try swaks --server "
            + relay.getHostString()
            + ":"
            + relay.getPort()
            + " --to someone@example.net)");
    out.println(
        "  events:     "
            + dataDir.resolve("events.log").toAbsolutePath()
            + " (one JSON line per event; also GET /api/v1/events)");
    out.println(
        "  timeline:   "
            + rate
            + " msg/s; postmark-sim answers 421 from "
            + seconds(failAfter)
            + " to "
            + seconds(failAfter.plus(failFor))
            + ", then recovers (recheck, probation, ramp back to 70/30)");
    out.flush();
  }

  /**
   * Plays the timeline on one timer thread (the outage, its end, a status line every {@code every})
   * and returns after {@code duration}, or never when it is zero.
   */
  private void run(
      PrintWriter out,
      SluiceServer sluice,
      RoutesConfig routes,
      DemoTraffic traffic,
      SimulatedUpstream failing,
      List<SimulatedUpstream> upstreams)
      throws InterruptedException {
    Instant start = Instant.now();
    ScheduledExecutorService timeline =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-demo-timeline");
              t.setDaemon(true);
              return t;
            });
    try {
      timeline.schedule(
          () -> outage(out, start, failing, true), failAfter.toMillis(), TimeUnit.MILLISECONDS);
      timeline.schedule(
          () -> outage(out, start, failing, false),
          failAfter.plus(failFor).toMillis(),
          TimeUnit.MILLISECONDS);
      timeline.scheduleAtFixedRate(
          () -> {
            out.println(
                status(Duration.between(start, Instant.now()), sluice, routes, traffic, upstreams));
            out.flush();
          },
          every.toMillis(),
          every.toMillis(),
          TimeUnit.MILLISECONDS);
      if (duration.isZero()) {
        new CountDownLatch(1).await(); // until Ctrl-C
      } else {
        new CountDownLatch(1).await(duration.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      timeline.shutdownNow();
      timeline.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void outage(
      PrintWriter out, Instant start, SimulatedUpstream upstream, boolean failing) {
    upstream.failing(failing);
    out.println(
        "sluice demo: "
            + seconds(Duration.between(start, Instant.now()))
            + " "
            + upstream.name()
            + (failing ? " starts answering 421" : " is back"));
    out.flush();
  }

  private static String status(
      Duration elapsed,
      SluiceServer sluice,
      RoutesConfig routes,
      DemoTraffic traffic,
      List<SimulatedUpstream> upstreams) {
    Map<String, MemberConfig> members = routes.members();
    Instant now = Instant.now();
    Map<String, String> states;
    try {
      states =
          sluice
              .scheduler()
              .traffic(
                  tc -> {
                    Map<String, String> s = new LinkedHashMap<>();
                    members.forEach((name, m) -> s.put(name, DemoStatus.of(tc.state(m, "*", now))));
                    return s;
                  })
              .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      states = Map.of(); // the line shows "?" for each state
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      states = Map.of();
    }
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%6s  sent %d%s |",
                seconds(elapsed),
                traffic.sent(),
                traffic.failed() > 0 ? " (" + traffic.failed() + " refused)" : ""));
    for (SimulatedUpstream u : upstreams) {
      line.append(
          String.format(
              " %s %s %d delivered%s |",
              u.name(),
              states.getOrDefault(u.name(), "?"),
              u.accepted(),
              u.refused() > 0 ? ", " + u.refused() + " turned away" : ""));
    }
    return line.toString();
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }

  /** Writes the bundled config into the data directory with this run's ports. */
  private Path writeConfig(List<SimulatedUpstream> upstreams) throws IOException {
    Files.createDirectories(dataDir);
    Map<String, String> values =
        Map.of(
            "POSTMARK_PORT", Integer.toString(upstreams.get(0).port()),
            "SES_PORT", Integer.toString(upstreams.get(1).port()),
            "SMARTHOST_PORT", Integer.toString(upstreams.get(2).port()),
            "ADMIN_ADDRESS", admin,
            "DEAD_PORT", Integer.toString(deadPort()));
    Files.writeString(dataDir.resolve("routes.yaml"), template("routes.yaml", values));
    Path config = dataDir.resolve("sluice.yaml");
    Files.writeString(config, template("sluice.yaml", values));
    return config;
  }

  private static String template(String name, Map<String, String> values) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the demo's " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : values.entrySet()) {
        text = text.replace("${" + v.getKey() + "}", v.getValue());
      }
      return text;
    }
  }

  /** A loopback port nothing listens on: DNS queries sent there go nowhere. */
  private static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
