package dev.sluice.routing.select;

/**
 * Smooth weighted round-robin (the nginx algorithm) over a fixed number of slots whose weights may
 * change at every pick: each eligible slot gains its weight, the richest is chosen and pays the
 * total back. Picks interleave evenly (70/30 gives a a b a a b a b…, never a burst), and a slot
 * left out for a while keeps its place. Thread-safe.
 */
public final class SmoothWeightedRoundRobin {
  private final double[] current;

  /** A round-robin over {@code slots} slots, numbered from 0. */
  public SmoothWeightedRoundRobin(int slots) {
    this.current = new double[slots];
  }

  /**
   * Picks a slot.
   *
   * @param weights the weight of each slot now; zero or less means not eligible this time
   * @return the chosen slot, or -1 when no slot is eligible
   */
  public synchronized int next(double[] weights) {
    if (weights.length != current.length) {
      throw new IllegalArgumentException(
          "expected " + current.length + " weights, got " + weights.length);
    }
    int best = -1;
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        current[i] += weights[i];
        total += weights[i];
        if (best < 0 || current[i] > current[best]) {
          best = i;
        }
      }
    }
    if (best >= 0) {
      current[best] -= total;
    }
    return best;
  }
}
