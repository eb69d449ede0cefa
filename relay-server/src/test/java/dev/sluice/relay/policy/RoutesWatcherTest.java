package dev.sluice.relay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesWatcherTest {
  @Test
  void aFileWrittenAllTheTimeBesideRoutesYamlDoesNotHoldItsReloadBack(@TempDir Path dir)
      throws Exception {
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, "first\n");
    AtomicInteger reloads = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread log =
        new Thread(
            () -> {
              Path events = dir.resolve("events.log");
              while (writing.get()) {
                try {
                  Files.writeString(
                      events, "{}\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            });
    RoutesWatcher watcher =
        RoutesWatcher.start(routes, Duration.ofMillis(100), reloads::incrementAndGet);
    try {
      log.start();
      Path next = dir.resolve("routes.yaml.tmp");
      Files.writeString(next, "second\n");
      Files.move(next, routes, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

      Await.until("routes.yaml is reloaded", () -> reloads.get() == 1);
    } finally {
      writing.set(false);
      log.join();
      watcher.close();
    }
    assertThat(reloads).hasValue(1);
  }

  @Test
  void aFileEditedSinceThePolicyInForceWasReadIsReloadedWhenTheWatchStarts(@TempDir Path dir)
      throws Exception {
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, "edited while starting\n");
    AtomicInteger reloads = new AtomicInteger();
    RoutesWatcher watcher =
        RoutesWatcher.start(
            routes,
            Optional.of("read at start\n".getBytes(StandardCharsets.UTF_8)),
            Duration.ofMillis(100),
            reloads::incrementAndGet);
    try {
      Await.until("routes.yaml is reloaded", () -> reloads.get() == 1);
    } finally {
      watcher.close();
    }
  }
}
