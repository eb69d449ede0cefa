package dev.sluice.routing.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RelayConfig;
import dev.sluice.routing.config.TlsMode;
import dev.sluice.routing.select.MemberVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathHoldsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final MemberConfig DIRECT = MemberConfig.direct("ip-1", 1);
  private static final MemberConfig RELAY =
      new MemberConfig(
          "postmark",
          1,
          Optional.empty(),
          Optional.empty(),
          Optional.of(
              new RelayConfig(
                  "smtp.example", 587, TlsMode.REQUIRED, Optional.empty(), Optional.empty())),
          null,
          Optional.empty(),
          java.util.Set.of());

  private final PathHolds holds = new PathHolds(Duration.ofSeconds(30), Duration.ofMinutes(2));

  @Test
  void aFailedMemberIsDownUntilItsHoldEnds() {
    holds.failed(RELAY, "gmail", T0, "421 busy");
    MemberVerdict during = holds.eligibility(T0.plusSeconds(29)).check(RELAY, "gmail");
    assertThat(during).isInstanceOf(MemberVerdict.Ineligible.class);
    assertThat(((MemberVerdict.Ineligible) during).reason()).isEqualTo(MemberVerdict.Reason.DOWN);
    assertThat(((MemberVerdict.Ineligible) during).detail()).contains("421 busy");
    assertThat(holds.eligibility(T0.plusSeconds(30)).check(RELAY, "gmail"))
        .isEqualTo(MemberVerdict.FULL);
  }

  @Test
  void aRelayIsHeldForEveryDestinationADirectMemberOnlyForTheFailedOne() {
    holds.failed(RELAY, "gmail", T0, "refused");
    holds.failed(DIRECT, "gmail", T0, "refused");
    assertThat(holds.eligibility(T0).check(RELAY, "outlook"))
        .isInstanceOf(MemberVerdict.Ineligible.class);
    assertThat(holds.eligibility(T0).check(DIRECT, "outlook")).isEqualTo(MemberVerdict.FULL);
    assertThat(holds.eligibility(T0).check(DIRECT, "gmail"))
        .isInstanceOf(MemberVerdict.Ineligible.class);
  }

  @Test
  void failuresInARowDoubleTheHoldUpToTheMaximumAndASuccessClearsIt() {
    holds.failed(DIRECT, "d", T0, "x");
    assertThat(holds.heldUntil(DIRECT, "d", T0)).isEqualTo(T0.plusSeconds(30));
    holds.failed(DIRECT, "d", T0, "x");
    assertThat(holds.heldUntil(DIRECT, "d", T0)).isEqualTo(T0.plusSeconds(60));
    holds.failed(DIRECT, "d", T0, "x");
    holds.failed(DIRECT, "d", T0, "x");
    assertThat(holds.heldUntil(DIRECT, "d", T0)).isEqualTo(T0.plusSeconds(120));
    holds.succeeded(DIRECT, "d");
    assertThat(holds.heldUntil(DIRECT, "d", T0)).isNull();
    holds.failed(DIRECT, "d", T0, "x");
    assertThat(holds.heldUntil(DIRECT, "d", T0)).isEqualTo(T0.plusSeconds(30));
  }
}
