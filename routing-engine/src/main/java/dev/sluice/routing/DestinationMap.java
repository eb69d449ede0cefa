package dev.sluice.routing;

import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.rules.DomainSet;
import dev.sluice.routing.rules.SuffixTable;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells which destination a recipient domain (or, once DNS is known, an MX host) belongs to: exact
 * domains first, then the longest matching wildcard, then {@code default}. Immutable and
 * thread-safe.
 */
public final class DestinationMap {
  private final Map<String, String> exact = new HashMap<>();
  private final SuffixTable<String> suffixes;
  private final SuffixTable<String> mxSuffixes;

  public DestinationMap(Iterable<DestinationConfig> destinations) {
    Map<String, String> wildcards = new HashMap<>();
    Map<String, String> mx = new HashMap<>();
    for (DestinationConfig d : destinations) {
      for (String domain : d.domains()) {
        if (DomainSet.isWildcard(domain)) {
          wildcards.put(domain.substring(2), d.name());
        } else {
          exact.put(domain, d.name());
        }
      }
      for (String suffix : d.mxSuffixes()) {
        mx.put(suffix.substring(1), d.name());
      }
    }
    this.suffixes = new SuffixTable<>(wildcards);
    this.mxSuffixes = new SuffixTable<>(mx);
  }

  /** The destination of a lower-case recipient domain. */
  public String forDomain(String domain) {
    String name = exact.get(domain);
    return name != null ? name : longestSuffix(suffixes, domain);
  }

  /** The destination of an MX host name by its suffix ({@code .google.com}), or {@code default}. */
  public String forMxHost(String host) {
    return longestSuffix(mxSuffixes, DomainSet.normalize(host));
  }

  private static String longestSuffix(SuffixTable<String> bySuffix, String name) {
    String found = bySuffix.longest(name);
    return found != null ? found : DestinationConfig.DEFAULT;
  }
}
