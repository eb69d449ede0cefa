package dev.sluice.relay.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBusTest {
  private static Event event(String type) {
    return Event.of(type, Instant.parse("2026-04-01T10:00:00Z")).with("member", "ses").build();
  }

  @Test
  void aThrowingSinkLosesTheEventButTheOthersAndTheCallerDoNot() {
    List<Event> seen = new ArrayList<>();
    EventBus bus =
        new EventBus()
            .add(
                e -> {
                  throw new IllegalStateException("disk on fire");
                })
            .add(seen::add);
    bus.accept(event("member_down"));
    bus.accept(event("member_up"));
    assertThat(seen).extracting(Event::type).containsExactly("member_down", "member_up");
    assertThat(bus.failures()).isEqualTo(2);
  }

  @Test
  void theRingKeepsTheLatestNewestFirst() {
    EventRing ring = new EventRing(3);
    for (String t : List.of("a", "b", "c", "d")) {
      ring.accept(event(t));
    }
    assertThat(ring.latest(10)).extracting(Event::type).containsExactly("d", "c", "b");
    assertThat(ring.latest(1)).extracting(Event::type).containsExactly("d");
  }

  @Test
  void absentFieldsAreLeftOutAndTheOrderIsKept() {
    Event e =
        Event.of("bounced", Instant.parse("2026-04-01T10:00:00Z"))
            .with("message_id", "abc")
            .with("pool", null)
            .with("member", "")
            .with("recipients", 2)
            .build();
    assertThat(e.toMap().keySet()).containsExactly("type", "at", "message_id", "recipients");
  }
}
