package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.routing.config.HealthSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String KEY = "ip-1|gmail";

  private final HealthTracker health = new HealthTracker(HealthSettings.DEFAULTS);

  @Test
  void anUnknownKeyIsHealthyAtFullWeight() {
    HealthView view = health.view(KEY, T0);
    assertThat(view.state()).isEqualTo(HealthState.HEALTHY);
    assertThat(view.weightFactor()).isEqualTo(1);
    assertThat(view.recheckAt()).isEmpty();
    assertThat(health.nextChange(T0)).isEmpty();
  }

  @Test
  void softFailuresAboveTheRateDegradeOnceThereAreEnoughAttempts() {
    assertThat(health.softFailure(KEY, T0, "421 busy")).isEmpty();
    assertThat(health.softFailure(KEY, T0, "421 busy")).isEmpty();
    succeed(7, T0); // 9 attempts, 2 failed: too few to judge
    Optional<HealthEvent> event = health.softFailure(KEY, T0, "421 busy"); // 3 of 10
    assertThat(event)
        .contains(new HealthEvent(KEY, HealthState.HEALTHY, HealthState.DEGRADED, T0, "421 busy"));
    assertThat(health.view(KEY, T0).weightFactor()).isEqualTo(0.5);
  }

  @Test
  void aDegradedKeyRecoversOnlyAtHalfTheRate() {
    degrade(T0); // 3 failures of 10
    succeed(13, T0); // 3 of 23 = 13%: above 12.5%, still degraded
    assertThat(health.view(KEY, T0).state()).isEqualTo(HealthState.DEGRADED);
    Optional<HealthEvent> event = health.success(KEY, T0); // 3 of 24 = 12.5%
    assertThat(event.map(HealthEvent::to)).contains(HealthState.HEALTHY);
  }

  @Test
  void aDegradedKeyRecoversWhenItsFailuresAgeOutOfTheWindow() {
    degrade(T0);
    assertThat(health.tick(T0.plus(Duration.ofMinutes(1)))).isEmpty();
    List<HealthEvent> events = health.tick(T0.plus(Duration.ofMinutes(6)));
    assertThat(events).extracting(HealthEvent::to).containsExactly(HealthState.HEALTHY);
  }

  @Test
  void aPathFailureTakesADegradedKeyDownToo() {
    degrade(T0);
    assertThat(health.pathFailure(KEY, T0, "refused"))
        .contains(new HealthEvent(KEY, HealthState.DEGRADED, HealthState.DOWN, T0, "refused"));
  }

  @Test
  void aPathFailureTakesTheKeyDownAtOnce() {
    Optional<HealthEvent> event = health.pathFailure(KEY, T0, "all MX refused");
    assertThat(event.map(HealthEvent::to)).contains(HealthState.DOWN);
    HealthView view = health.view(KEY, T0);
    assertThat(view.weightFactor()).isZero();
    assertThat(view.recheckAt()).contains(T0.plus(Duration.ofMinutes(1)));
    assertThat(view.detail()).isEqualTo("all MX refused");
    assertThat(view.failuresInRow()).isEqualTo(1);
    assertThat(health.pathFailure(KEY, T0.plusSeconds(5), "again")).isEmpty();
    assertThat(health.view(KEY, T0).recheckAt()).contains(T0.plus(Duration.ofMinutes(1)));
    assertThat(health.all(T0)).containsOnlyKeys(KEY);
  }

  @Test
  void downsInARowWaitLongerUpToTheLastIntervalWhichRepeats() {
    List<Duration> expected =
        List.of(1, 5, 15, 30, 60, 240, 240).stream().map(Duration::ofMinutes).toList();
    Instant t = T0;
    for (Duration wait : expected) {
      health.pathFailure(KEY, t, "refused");
      assertThat(health.view(KEY, t).recheckAt()).contains(t.plus(wait));
      assertThat(health.nextChange(t)).contains(t.plus(wait));
      assertThat(health.tick(t.plus(wait).minusSeconds(1))).isEmpty();
      t = t.plus(wait);
      assertThat(health.tick(t))
          .containsExactly(
              new HealthEvent(KEY, HealthState.DOWN, HealthState.PROBATION, t, "recheck due"));
    }
  }

  @Test
  void probationRampsTheWeightBackAndEndsHealthy() {
    health.pathFailure(KEY, T0, "refused");
    Instant start = T0.plus(Duration.ofMinutes(1));
    health.tick(start);
    assertThat(health.view(KEY, start).weightFactor()).isCloseTo(0.1, within(1e-9));
    assertThat(health.view(KEY, start.plus(Duration.ofMinutes(15))).weightFactor())
        .isCloseTo(0.55, within(1e-9));
    Instant end = start.plus(Duration.ofMinutes(30));
    assertThat(health.view(KEY, end).weightFactor()).isEqualTo(1);
    assertThat(health.nextChange(start)).contains(end);
    assertThat(health.tick(end)).extracting(HealthEvent::to).containsExactly(HealthState.HEALTHY);
  }

  @Test
  void aFullRampResetsTheRecheckScheduleButAFailureOnProbationDoesNot() {
    health.pathFailure(KEY, T0, "refused");
    Instant t = T0.plus(Duration.ofMinutes(1));
    health.tick(t);
    assertThat(health.softFailure(KEY, t, "timeout")).isEmpty();
    assertThat(health.pathFailure(KEY, t, "refused").map(HealthEvent::from))
        .contains(HealthState.PROBATION);
    assertThat(health.view(KEY, t).recheckAt()).contains(t.plus(Duration.ofMinutes(5)));
    t = t.plus(Duration.ofMinutes(5));
    health.tick(t);
    t = t.plus(Duration.ofMinutes(30));
    health.tick(t);
    health.pathFailure(KEY, t, "refused");
    assertThat(health.view(KEY, t).recheckAt()).contains(t.plus(Duration.ofMinutes(1)));
  }

  @Test
  void failedProbesInARowTakeARelayDownAndAnOkProbeResetsTheCount() {
    health.probed(KEY);
    assertThat(health.probe(KEY, false, T0, "timeout")).isEmpty();
    assertThat(health.probe(KEY, false, T0, "timeout")).isEmpty();
    assertThat(health.probe(KEY, true, T0, "ok")).isEmpty();
    assertThat(health.probe(KEY, false, T0, "timeout")).isEmpty();
    assertThat(health.probe(KEY, false, T0, "timeout")).isEmpty();
    assertThat(health.view(KEY, T0).failuresInRow()).isEqualTo(2);
    Optional<HealthEvent> event = health.probe(KEY, false, T0, "timeout");
    assertThat(event.map(HealthEvent::to)).contains(HealthState.DOWN);
    assertThat(health.view(KEY, T0).recheckAt()).contains(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void aProbedKeyComesBackByAProbeNotByTime() {
    health.probed(KEY);
    health.pathFailure(KEY, T0, "refused");
    Instant due = T0.plus(Duration.ofMinutes(1));
    assertThat(health.tick(due)).isEmpty();
    assertThat(health.nextChange(due)).isEmpty();
    assertThat(health.probe(KEY, true, due.minusSeconds(1), "ok")).isEmpty();
    assertThat(health.probe(KEY, false, due, "refused")).isEmpty();
    Instant next = due.plus(Duration.ofMinutes(5));
    assertThat(health.view(KEY, due).recheckAt()).contains(next);
    assertThat(health.nextChange(due)).contains(next);
    assertThat(health.probe(KEY, true, next, "ok").map(HealthEvent::to))
        .contains(HealthState.PROBATION);
  }

  @Test
  void nextChangeIsTheEarliestRecheckOrRampEnd() {
    health.pathFailure("a", T0, "refused");
    health.tick(T0.plus(Duration.ofMinutes(1))); // a on probation until +31m
    health.pathFailure("b", T0.plus(Duration.ofMinutes(1)), "refused");
    health.pathFailure("b", T0.plus(Duration.ofMinutes(1)), "refused");
    assertThat(health.nextChange(T0.plus(Duration.ofMinutes(1))))
        .contains(T0.plus(Duration.ofMinutes(2)));
    assertThat(health.all(T0).keySet()).containsExactly("a", "b");
  }

  @Test
  void aHealthyKeyWithNothingInItsWindowIsForgotten() {
    health.success(KEY, T0);
    health.tick(T0);
    assertThat(health.all(T0)).containsOnlyKeys(KEY);
    health.tick(T0.plus(Duration.ofMinutes(6)));
    assertThat(health.all(T0)).isEmpty();
  }

  private void succeed(int times, Instant now) {
    for (int i = 0; i < times; i++) {
      health.success(KEY, now);
    }
  }

  private void degrade(Instant now) {
    succeed(7, now);
    for (int i = 0; i < 3; i++) {
      health.softFailure(KEY, now, "421");
    }
    assertThat(health.view(KEY, now).state()).isEqualTo(HealthState.DEGRADED);
  }
}
