package dev.sluice.routing.select;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Weighted rendezvous (highest random weight) hashing: every candidate scores the key, the best
 * score wins. Adding a candidate moves only the keys it now wins; removing one moves only its own
 * keys. Scores come from a fixed 64-bit hash, so the choice is the same on every node and run.
 */
public final class RendezvousHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private RendezvousHash() {}

  /**
   * The index of the candidate that wins {@code key}.
   *
   * @param weights weight of each candidate; zero or less excludes it
   * @return the winner, or -1 when every candidate is excluded
   */
  public static int pick(String key, List<String> names, double[] weights) {
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < names.size(); i++) {
      if (weights[i] <= 0) {
        continue;
      }
      // u is uniform in (0, 1); -w / ln(u) makes each candidate win in proportion to its weight.
      double u = ((hash(key, names.get(i)) >>> 11) + 0.5) / (double) (1L << 53);
      double score = -weights[i] / Math.log(u);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }

  /** FNV-1a over the UTF-8 bytes of key, a zero byte and name, then murmur3's fmix64 finalizer. */
  static long hash(String key, String name) {
    long h = FNV_OFFSET;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    h *= FNV_PRIME; // the zero separator byte: h ^ 0 == h
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
