package dev.sluice.routing.rules;

import java.util.Map;

/**
 * Values keyed by domain suffix ({@code example.com} for {@code *.example.com} or an MX suffix),
 * looked up for every suffix of a name after a dot. A table of the suffix lengths it holds lets a
 * lookup skip, without building a substring, every suffix that cannot be there. Immutable and
 * thread-safe.
 */
public final class SuffixTable<V> {
  private static final int MAX = 256;

  private final Map<String, V> bySuffix;
  private final boolean[] lengths = new boolean[MAX];

  public SuffixTable(Map<String, V> bySuffix) {
    this.bySuffix = Map.copyOf(bySuffix);
    for (String suffix : this.bySuffix.keySet()) {
      if (suffix.length() < MAX) {
        lengths[suffix.length()] = true;
      }
    }
  }

  public boolean isEmpty() {
    return bySuffix.isEmpty();
  }

  /** The value for the part of {@code name} after the dot at {@code dot}, or null. */
  public V after(String name, int dot) {
    int length = name.length() - dot - 1;
    if (length >= MAX || !lengths[length]) {
      return null;
    }
    return bySuffix.get(name.substring(dot + 1));
  }

  /** The value of the longest suffix of {@code name} (after one of its dots), or null. */
  public V longest(String name) {
    if (bySuffix.isEmpty()) {
      return null;
    }
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      V value = after(name, dot);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
