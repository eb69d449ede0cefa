package dev.sluice.routing;

import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.rules.DomainSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tells which destination a recipient domain (or, once DNS is known, an MX host) belongs to: exact
 * domains first, then the longest matching wildcard, then {@code default}. Immutable and
 * thread-safe.
 */
public final class DestinationMap {
  private final Map<String, String> exact = new HashMap<>();
  private final Map<String, String> suffixes = new HashMap<>();
  private final Map<String, String> mxSuffixes = new HashMap<>();

  public DestinationMap(Iterable<DestinationConfig> destinations) {
    for (DestinationConfig d : destinations) {
      for (String domain : d.domains()) {
        if (DomainSet.isWildcard(domain)) {
          suffixes.put(domain.substring(2), d.name());
        } else {
          exact.put(domain, d.name());
        }
      }
      for (String suffix : d.mxSuffixes()) {
        mxSuffixes.put(suffix.substring(1), d.name());
      }
    }
  }

  /** The destination of a lower-case recipient domain. */
  public String forDomain(String domain) {
    String name = exact.get(domain);
    return name != null ? name : longestSuffix(suffixes, domain);
  }

  /** The destination of an MX host name by its suffix ({@code .google.com}), or {@code default}. */
  public String forMxHost(String host) {
    String h = DomainSet.normalize(host).toLowerCase(Locale.ROOT);
    return longestSuffix(mxSuffixes, h);
  }

  private static String longestSuffix(Map<String, String> bySuffix, String name) {
    if (!bySuffix.isEmpty()) {
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        String found = bySuffix.get(name.substring(dot + 1));
        if (found != null) {
          return found;
        }
      }
    }
    return DestinationConfig.DEFAULT;
  }
}
