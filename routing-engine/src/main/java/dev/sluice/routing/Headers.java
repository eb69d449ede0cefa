package dev.sluice.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The message headers routing may look at; names are case-insensitive (RFC 5322 §1.2.2). Immutable.
 */
public final class Headers {
  public static final Headers NONE = new Headers(Map.of());

  private final Map<String, List<String>> byName;

  private Headers(Map<String, List<String>> byName) {
    this.byName = byName;
  }

  /** Builds headers from (name, value) pairs in message order. */
  public static Headers of(List<Map.Entry<String, String>> fields) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : fields) {
      map.computeIfAbsent(key(f.getKey()), k -> new ArrayList<>()).add(f.getValue().strip());
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return new Headers(Map.copyOf(map));
  }

  /** The first value of the header, trimmed. */
  public Optional<String> first(String name) {
    List<String> values = byName.get(key(name));
    return values == null ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of the header in message order; empty when absent. */
  public List<String> all(String name) {
    return byKey(key(name));
  }

  /**
   * Every value of the header whose name is already a {@link #key}: the hot path for matchers,
   * which normalise their header name once.
   */
  public List<String> byKey(String key) {
    List<String> values = byName.get(key);
    return values == null ? List.of() : values;
  }

  /** The normalised form of a header name (trimmed, lower case) that {@link #byKey} takes. */
  public static String key(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return byName.toString();
  }
}
