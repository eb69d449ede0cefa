package dev.sluice.relay.demo;

import dev.sluice.routing.traffic.HealthState;
import dev.sluice.routing.traffic.MemberState;
import java.util.Locale;

/** A member's state in one word for the demo's status line: {@code healthy}, {@code down}… */
final class DemoStatus {
  private DemoStatus() {}

  static String of(MemberState state) {
    if (state.suspension().isPresent()) {
      return "[suspended]";
    }
    HealthState health = state.health().state();
    String word = "[" + health.name().toLowerCase(Locale.ROOT);
    if (health == HealthState.PROBATION) {
      word += " " + Math.round(state.health().weightFactor() * 100) + "%";
    }
    return word + "]";
  }
}
