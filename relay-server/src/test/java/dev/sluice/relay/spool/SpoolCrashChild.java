package dev.sluice.relay.spool;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process that {@link SpoolCrashTest} kills: stores messages from a few threads forever and
 * prints each queue id on its own line once its store has completed, like a 250 reply.
 */
public final class SpoolCrashChild {
  private SpoolCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    PrintStream acks = System.out;
    SegmentSpool spool =
        SegmentSpool.open(dir, SpoolOptions.defaults().withMinFreeBytes(0), Clock.systemUTC());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread session =
          new Thread(
              () -> {
                for (int i = 0; ; i++) {
                  int n = thread * 1_000_000 + i;
                  SpoolEntry entry =
                      spool.store(SpoolFixtures.envelope(n), SpoolFixtures.body(n, 1500)).join();
                  synchronized (acks) {
                    acks.print(entry.id().value() + "\n");
                    acks.flush();
                  }
                }
              },
              "session-" + t);
      session.start();
    }
  }
}
