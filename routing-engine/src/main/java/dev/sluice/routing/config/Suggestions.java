package dev.sluice.routing.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean …?" for misspelt keys and names: the closest candidate within a small edit
 * distance.
 */
public final class Suggestions {
  private Suggestions() {}

  /** The closest candidate, if one is within max(1, length/3) edits of {@code word}. */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, word.length() / 3);
    if (best != null && bestDistance <= allowed) {
      return Optional.of(best);
    }
    // 'eu' for 'eu-west': a short name that is the start of exactly one candidate.
    String prefix = word.toLowerCase(Locale.ROOT);
    List<String> extensions =
        candidates.stream()
            .filter(c -> prefix.length() >= 2 && c.toLowerCase(Locale.ROOT).startsWith(prefix))
            .toList();
    return extensions.size() == 1 ? Optional.of(extensions.get(0)) : Optional.empty();
  }

  /** {@code " (did you mean 'x'?)"} or the empty string. */
  public static String hint(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  /** Optimal string alignment distance: Levenshtein plus transposition of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
