package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code sluice run} answers the signals systemd sends it, as systemd/sluice.service sees it.
 */
class LifecycleSignalsTest {
  private static final Path UNIT = Path.of("..", "systemd", "sluice.service");
  private static final String ROUTES =
      "pools: { main: { members: [ { name: m, relay: { host: 127.0.0.1, port: 1, tls: none } } ] } }\n"
          + "rules: [ { name: all, route: { pool: main } } ]\n";

  @TempDir Path dir;

  @Test
  void aCleanStopOnSigtermEndsWithAStatusTheUnitCountsAsSuccess() throws Exception {
    SluiceProcess sluice = SluiceProcess.start(config(), dir);

    int status = sluice.stop();

    assertThat(status == 0 || successStatuses().contains(Integer.toString(status)))
        .as(
            "exit status %d after a clean stop; the unit counts 0 and %s as success "
                + "(anything else marks it failed, and Restart=on-failure restarts it)\n%s",
            status, successStatuses(), sluice.tail())
        .isTrue();
  }

  /**
   * {@code systemctl reload} right after {@code systemctl start}: the unit is active at once
   * (Type=simple) while the daemon is still starting.
   */
  @Test
  void aSighupWhileStartingIsAppliedOnceTheDaemonRuns() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), ROUTES);
    SluiceProcess sluice =
        SluiceProcess.launch(SluiceProcess.configHeldAtStart(dir, PolicySluice.sluiceYaml()), dir);
    try {
      sluice.awaitHeldStart();
      sluice.hangUp();
      sluice.awaitOutput("SIGHUP while starting");
      sluice.finishStart();
      sluice.awaitAccepting();
      sluice.awaitOutput("reload (SIGHUP)");
    } finally {
      sluice.stop();
    }
  }

  private Path config() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), ROUTES);
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(config, PolicySluice.sluiceYaml());
    return config;
  }

  /** The values of every {@code SuccessExitStatus=} line of the unit. */
  private static Set<String> successStatuses() throws Exception {
    Set<String> statuses = new HashSet<>();
    for (String line : Files.readAllLines(UNIT)) {
      if (line.startsWith("SuccessExitStatus=")) {
        statuses.addAll(Arrays.asList(line.substring(line.indexOf('=') + 1).trim().split("\\s+")));
      }
    }
    return statuses;
  }
}
