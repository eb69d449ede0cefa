package dev.sluice.routing.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RendezvousHashTest {
  private static final int KEYS = 10_000;

  @Test
  void addingAFourthEqualMemberMovesAQuarterOfKeysAndOnlyOntoIt() {
    List<String> three = List.of("a", "b", "c");
    List<String> four = List.of("a", "b", "c", "d");
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = key(i);
      String before = three.get(RendezvousHash.pick(key, three, new double[] {1, 1, 1}));
      String after = four.get(RendezvousHash.pick(key, four, new double[] {1, 1, 1, 1}));
      if (!before.equals(after)) {
        moved++;
        assertThat(after).as("new home of %s", key).isEqualTo("d");
      }
    }

    assertThat((double) moved / KEYS).isCloseTo(0.25, within(0.02));
  }

  @Test
  void removingAMemberMovesOnlyItsOwnKeys() {
    List<String> four = List.of("a", "b", "c", "d");
    List<String> withoutB = List.of("a", "c", "d");
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = key(i);
      String before = four.get(RendezvousHash.pick(key, four, new double[] {1, 1, 1, 1}));
      String after = withoutB.get(RendezvousHash.pick(key, withoutB, new double[] {1, 1, 1}));
      if (!before.equals(after)) {
        moved++;
        assertThat(before).as("old home of %s", key).isEqualTo("b");
      } else {
        assertThat(before).isNotEqualTo("b");
      }
    }

    assertThat((double) moved / KEYS).isCloseTo(0.25, within(0.02));
  }

  @Test
  void excludingAMemberByWeightMovesOnlyItsOwnKeys() {
    List<String> names = List.of("a", "b", "c");
    for (int i = 0; i < KEYS; i++) {
      String key = key(i);
      int before = RendezvousHash.pick(key, names, new double[] {1, 1, 1});
      int after = RendezvousHash.pick(key, names, new double[] {1, 0, 1});
      if (before != 1) {
        assertThat(after).as("home of %s", key).isEqualTo(before);
      }
    }
  }

  @Test
  void seventyThirtyWeightsSplitKeysWithinTwoPercent() {
    List<String> names = List.of("heavy", "light");
    int heavy = 0;
    for (int i = 0; i < KEYS; i++) {
      if (RendezvousHash.pick(key(i), names, new double[] {70, 30}) == 0) {
        heavy++;
      }
    }

    assertThat((double) heavy / KEYS).isCloseTo(0.70, within(0.02));
  }

  @Test
  void sameKeyPicksTheSameMemberEveryTime() {
    List<String> names = List.of("mx1", "mx2", "mx3", "mx4");
    double[] weights = {3, 1, 2, 0.5};
    for (int i = 0; i < 100; i++) {
      int first = RendezvousHash.pick(key(i), names, weights);
      for (int repeat = 0; repeat < 10; repeat++) {
        assertThat(RendezvousHash.pick(key(i), names, weights)).isEqualTo(first);
      }
    }
  }

  @Test
  void excludedMemberIsNeverPicked() {
    List<String> names = List.of("a", "b", "c");
    for (int i = 0; i < KEYS; i++) {
      assertThat(RendezvousHash.pick(key(i), names, new double[] {1, 0, 1})).isNotEqualTo(1);
      assertThat(RendezvousHash.pick(key(i), names, new double[] {1, -2, 1})).isNotEqualTo(1);
    }
  }

  @Test
  void everyMemberExcludedGivesMinusOne() {
    assertThat(RendezvousHash.pick("x.example", List.of("a", "b"), new double[] {0, -1}))
        .isEqualTo(-1);
    assertThat(RendezvousHash.pick("x.example", List.of(), new double[0])).isEqualTo(-1);
  }

  @Test
  void hashIsTheSameOnEveryJvm() {
    // Expected values computed outside Java (FNV-1a 64 over UTF-8, 0 separator, fmix64), so they
    // pin the byte-level definition rather than this implementation.
    assertThat(RendezvousHash.hash("example.com", "mx1")).isEqualTo(0x6660c4091c43f0fcL);
    assertThat(RendezvousHash.hash("", "")).isEqualTo(0xb9034ad37056f5fbL);
    assertThat(RendezvousHash.hash("domain-0.example", "a")).isEqualTo(0xdd06b9a88863555fL);
    assertThat(RendezvousHash.hash("\u00e9", "\u00fc")).isEqualTo(0x3ad9094c8c552d70L);
  }

  @Test
  void separatorKeepsKeyAndNameApart() {
    assertThat(RendezvousHash.hash("ab", "c")).isNotEqualTo(RendezvousHash.hash("a", "bc"));
  }

  private static String key(int i) {
    return "domain-" + i + ".example";
  }
}
