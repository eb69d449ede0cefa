package dev.sluice.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageIdTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.123Z");

  @Test
  void idsAreTwelveFileNameSafeCharactersThatSortByCreation() {
    MessageIdGenerator ids = new MessageIdGenerator(Clock.fixed(NOW, ZoneOffset.UTC), null);
    List<MessageId> made = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      made.add(ids.next());
    }
    assertThat(made).isSorted().doesNotHaveDuplicates();
    assertThat(made.get(0).value()).hasSize(12).matches("[0-9A-HJKMNP-TV-Z]{12}");
    assertThat(made.get(0).createdAt()).isEqualTo(NOW);
    // 300,000 ids in one fixed millisecond overflow the sequence into the next millisecond.
    assertThat(made.get(made.size() - 1).createdAt()).isAfter(NOW);
  }

  @Test
  void idsStayUniqueWhenTheClockWasSetBackAcrossARestart() {
    MessageIdGenerator before = new MessageIdGenerator(Clock.fixed(NOW, ZoneOffset.UTC), null);
    MessageId last = before.next();
    MessageIdGenerator after =
        new MessageIdGenerator(Clock.fixed(NOW.minusSeconds(3600), ZoneOffset.UTC), last);
    assertThat(after.next()).isGreaterThan(last);
  }

  @Test
  void idsFromManyThreadsAreUnique() throws Exception {
    MessageIdGenerator ids = new MessageIdGenerator(Clock.systemUTC(), null);
    List<Thread> threads = new ArrayList<>();
    List<List<MessageId>> made = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      List<MessageId> mine = new ArrayList<>();
      made.add(mine);
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 20_000; i++) {
                  mine.add(ids.next());
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    HashSet<MessageId> all = new HashSet<>();
    made.forEach(all::addAll);
    assertThat(all).hasSize(8 * 20_000);
  }

  @Test
  void anythingButAQueueIdIsRefused() {
    assertThatThrownBy(() -> new MessageId("../../etc/pw"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MessageId("0123456789AI"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
