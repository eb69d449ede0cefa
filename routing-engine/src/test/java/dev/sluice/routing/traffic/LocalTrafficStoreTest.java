package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.units.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalTrafficStoreTest extends TrafficStoreContract {
  @Override
  protected TrafficStore openEmptyStore() {
    return new LocalTrafficStore();
  }

  @Test
  void expiredEntriesAreSweptWithoutBeingRead() {
    LocalTrafficStore local = new LocalTrafficStore();
    Instant end = T0.plus(Duration.ofMinutes(1));
    for (int i = 0; i < 10_000; i++) {
      local.add("stat:" + i, 1, end, T0);
      local.put("suspend:" + i, "x", end, T0);
      local.admit(List.of(new Charge.Bucket("rate:" + i, 1, Rate.parse("1/s"), 1)), T0);
    }
    for (int i = 0; i < 100_000; i++) {
      local.count("live", end.plusMillis(i));
    }

    assertThat(local.size()).isZero();
  }
}
