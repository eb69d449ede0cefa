package dev.sluice.routing.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {
  private static final int PICKS = 100_000;

  @Test
  void seventyThirtyLandsWithinOnePercentOver100kPicks() {
    int[] picks = pick(new double[] {70, 30}, PICKS);

    assertThat(share(picks, 0)).isCloseTo(0.70, within(0.01));
    assertThat(share(picks, 1)).isCloseTo(0.30, within(0.01));
  }

  @Test
  void sixtyTwentyFiveFifteenLandsWithinOnePercentOver100kPicks() {
    int[] picks = pick(new double[] {60, 25, 15}, PICKS);

    assertThat(share(picks, 0)).isCloseTo(0.60, within(0.01));
    assertThat(share(picks, 1)).isCloseTo(0.25, within(0.01));
    assertThat(share(picks, 2)).isCloseTo(0.15, within(0.01));
  }

  @Test
  void seventyThirtyNeverPicksTheHeavySlotMoreThanThreeTimesInARowNorTheLightOneTwice() {
    int[] longest = longestRuns(pick(new double[] {70, 30}, PICKS), 2);

    assertThat(longest[0]).isLessThanOrEqualTo(3);
    assertThat(longest[1]).isEqualTo(1);
  }

  @Test
  void sixtyTwentyFiveFifteenNeverRunsASlotBeyondItsWeightOverTheRest() {
    double[] weights = {60, 25, 15};
    int[] longest = longestRuns(pick(weights, PICKS), weights.length);

    for (int i = 0; i < weights.length; i++) {
      int bound = (int) Math.ceil(weights[i] / (100 - weights[i]));
      assertThat(longest[i]).as("longest run of slot %d", i).isLessThanOrEqualTo(bound);
    }
  }

  @Test
  void equalWeightsBreakTiesTowardTheLowestIndex() {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(3);
    double[] weights = {1, 1, 1};

    assertThat(new int[] {rr.next(weights), rr.next(weights), rr.next(weights)})
        .containsExactly(0, 1, 2);
  }

  @Test
  void interleavesFiveOneOneAsNginxDoes() {
    assertThat(pick(new double[] {5, 1, 1}, 7)).containsExactly(0, 0, 1, 0, 2, 0, 0);
  }

  @Test
  void ineligibleSlotIsNeverChosenAndTheRestKeepTheirProportions() {
    int[] picks = pick(new double[] {60, 0, 20}, PICKS);

    assertThat(picks).doesNotContain(1);
    assertThat(share(picks, 0)).isCloseTo(0.75, within(0.01));
    assertThat(share(picks, 2)).isCloseTo(0.25, within(0.01));
  }

  @Test
  void negativeWeightMeansIneligible() {
    assertThat(pick(new double[] {-5, 1}, 1_000)).containsOnly(1);
  }

  @Test
  void slotLeftOutForAWhileRejoinsWithItsShare() {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(2);
    for (int i = 0; i < 1_000; i++) {
      assertThat(rr.next(new double[] {0, 1})).isEqualTo(1);
    }
    int[] counts = new int[2];
    for (int i = 0; i < 10_000; i++) {
      counts[rr.next(new double[] {1, 1})]++;
    }

    assertThat(counts).containsExactly(5_000, 5_000);
  }

  @Test
  void allSlotsIneligibleGivesMinusOne() {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(3);

    assertThat(rr.next(new double[] {0, 0, 0})).isEqualTo(-1);
    assertThat(rr.next(new double[] {0, -1, 0})).isEqualTo(-1);
  }

  @Test
  void noSlotsGivesMinusOne() {
    assertThat(new SmoothWeightedRoundRobin(0).next(new double[0])).isEqualTo(-1);
  }

  @Test
  void fractionalWeightsKeepTheirProportions() {
    int[] picks = pick(new double[] {0.7, 0.3}, PICKS);

    assertThat(share(picks, 0)).isCloseTo(0.70, within(0.01));
    assertThat(share(picks, 1)).isCloseTo(0.30, within(0.01));
  }

  @Test
  void halvingEveryWeightPicksTheSameSequence() {
    // Halving is exact in binary floating point, so a health factor of 0.5 on every slot must not
    // change a single pick.
    assertThat(pick(new double[] {2.5, 1.0, 0.5}, 1_000))
        .containsExactly(pick(new double[] {5, 2, 1}, 1_000));
  }

  @Test
  void weightCountThatDoesNotMatchTheSlotsIsABug() {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(2);

    assertThatIllegalArgumentException().isThrownBy(() -> rr.next(new double[] {1, 1, 1}));
  }

  private static int[] pick(double[] weights, int count) {
    SmoothWeightedRoundRobin rr = new SmoothWeightedRoundRobin(weights.length);
    int[] picks = new int[count];
    for (int i = 0; i < count; i++) {
      picks[i] = rr.next(weights);
    }
    return picks;
  }

  private static double share(int[] picks, int slot) {
    int hits = 0;
    for (int p : picks) {
      if (p == slot) {
        hits++;
      }
    }
    return (double) hits / picks.length;
  }

  /** The longest run of consecutive picks of each slot. */
  private static int[] longestRuns(int[] picks, int slots) {
    int[] longest = new int[slots];
    int run = 0;
    for (int i = 0; i < picks.length; i++) {
      run = i > 0 && picks[i] == picks[i - 1] ? run + 1 : 1;
      longest[picks[i]] = Math.max(longest[picks[i]], run);
    }
    return longest;
  }
}
