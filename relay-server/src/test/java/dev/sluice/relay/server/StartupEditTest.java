package dev.sluice.relay.server;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} reads routes.yaml first and starts watching it last, after the spool's
 * recovery: an edit saved in between must be applied, not taken as already seen.
 */
class StartupEditTest {
  private static final String POOL =
      "pools: { main: { members: [ { name: m, relay: { host: 127.0.0.1, port: 1, tls: none } } ] } }\n";

  @TempDir Path dir;

  @Test
  void anEditSavedWhileSluiceStartsIsApplied() throws Exception {
    Files.writeString(
        dir.resolve("routes.yaml"), POOL + "rules: [ { name: all, route: { pool: main } } ]\n");
    SluiceProcess sluice =
        SluiceProcess.launch(SluiceProcess.configHeldAtStart(dir, PolicySluice.sluiceYaml()), dir);
    try {
      sluice.awaitHeldStart();
      Files.writeString(
          dir.resolve("routes.yaml"),
          POOL
              + "rules: [ { name: first, match: { message_type: transactional }, route: { pool: main } },"
              + " { name: all, route: { pool: main } } ]\n");
      sluice.finishStart();
      sluice.awaitAccepting();
      sluice.awaitOutput("is in force: 1 pools, 2 rules");
    } finally {
      sluice.stop();
    }
  }
}
