package dev.sluice.relay.cli;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.relay.logging.DaemonLogging;
import dev.sluice.relay.logging.LineWriter;
import dev.sluice.relay.policy.HangupReload;
import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.relay.server.SluiceServer;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice run}: the daemon. Without {@code --config} it runs on the built-in defaults: relay
 * on 127.0.0.1:2525 for 127.0.0.1, submission on 127.0.0.1:2587 (STARTTLS with a generated
 * certificate, AUTH required), the spool under {@code --data-dir}. Stops cleanly on SIGTERM and
 * SIGINT: open sessions get 421, the spool is closed after the last store. SIGHUP reloads
 * routes.yaml, even one that comes while the daemon is still starting.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the Sluice daemon.")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "sluice.yaml (default: built-in defaults).")
  private Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "var",
      description =
          "Where the spool and generated certificates live when sluice.yaml does not say (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    HangupReload hangup = HangupReload.install();
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig server;
    try {
      server =
          config == null ? ServerConfigLoader.defaults(dataDir) : ServerConfigLoader.load(config);
    } catch (ConfigException e) {
      return invalid(err, e);
    } catch (IOException e) {
      return failed(err, FileErrors.describe(config, e));
    }
    LoadedRoutes routes;
    try {
      routes = PolicySource.load(server.routes());
    } catch (ConfigException e) {
      return invalid(err, e);
    } catch (IOException e) {
      return failed(err, FileErrors.describe(server.routes().orElseThrow(), e));
    }
    LineWriter log;
    try {
      log = DaemonLogging.open(server.logging());
    } catch (IOException e) {
      return failed(err, FileErrors.describe(e));
    }
    DaemonLogging.captureRecords(server.logging(), log);
    SluiceServer running;
    try {
      running = SluiceServer.start(server, routes, dataDir, Clock.systemUTC(), log);
    } catch (IOException e) {
      log.close();
      // A missing token or TLS file, a spool directory it cannot create, a port in use.
      return failed(err, FileErrors.describe(e));
    } catch (InterruptedException | RuntimeException e) {
      log.close();
      throw e;
    }
    hangup.reloadWith(() -> running.policy().reload("SIGHUP"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  log.close();
                  DaemonLogging.release();
                  // Straight to stderr: the log is closed.
                  err.println("sluice: stopped; ingress " + running.latency().summary());
                  err.flush();
                  stopped.countDown();
                },
                "sluice-shutdown"));
    err.println(
        "sluice: accepting mail on "
            + running.addresses()
            + "; spool "
            + server.spoolDir()
            + " ("
            + running.spool().entries().size()
            + " queued); delivering"
            + (server.dnsResolvers().isEmpty()
                ? " with the system's DNS resolvers"
                : " with DNS from " + server.dnsResolvers())
            + "; admin API and dashboard on http://"
            + running.adminAddress().getHostString()
            + ":"
            + running.adminAddress().getPort()
            + "/.");
    err.flush();
    stopped.await();
    return 0;
  }

  private static int invalid(PrintWriter err, ConfigException e) {
    e.errors().stream().map(ConfigError::toString).forEach(err::println);
    err.flush();
    return 1;
  }

  private int failed(PrintWriter err, String problem) {
    err.println(spec.qualifiedName() + ": " + problem);
    err.flush();
    return 1;
  }
}
