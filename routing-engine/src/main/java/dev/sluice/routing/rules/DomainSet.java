package dev.sluice.routing.rules;

import java.net.IDN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Domains written as exact names ({@code example.com}) or wildcards ({@code *.example.com}, which
 * matches every subdomain but not {@code example.com} itself). Lookups are hashed, never a scan of
 * patterns: an exact name is one set lookup, a wildcard one lookup per label of the domain.
 */
public final class DomainSet {
  private final List<String> patterns;
  private final Set<String> exact = new HashSet<>();
  private final Set<String> suffixes = new HashSet<>();
  private final SuffixTable<Boolean> suffixTable;

  private DomainSet(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    for (String p : this.patterns) {
      if (isWildcard(p)) {
        suffixes.add(p.substring(2));
      } else {
        exact.add(p);
      }
    }
    Map<String, Boolean> table = new HashMap<>();
    suffixes.forEach(suffix -> table.put(suffix, Boolean.TRUE));
    this.suffixTable = new SuffixTable<>(table);
  }

  /** Builds the set; patterns are {@linkplain #normalize normalised}. */
  public static DomainSet of(List<String> patterns) {
    List<String> normal = new ArrayList<>();
    for (String p : patterns) {
      normal.add(normalize(p));
    }
    return new DomainSet(normal);
  }

  /**
   * The form every domain is compared in: lower-case A-labels without a trailing root dot, so that
   * {@code Bücher.example.} and {@code xn--bcher-kva.example} are one domain. Text that is not a
   * valid IDN is only lower-cased. Cheap for the usual pure-ASCII domain, which is already in
   * A-label form.
   */
  public static String normalize(String domain) {
    String d = domain.strip();
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.chars().allMatch(c -> c < 128)) {
      return d.toLowerCase(Locale.ROOT);
    }
    try {
      return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException notAnIdn) {
      return d.toLowerCase(Locale.ROOT);
    }
  }

  public static boolean isWildcard(String pattern) {
    return pattern.startsWith("*.");
  }

  /** Whether {@code domain} (already {@linkplain #normalize normalised}) is in the set. */
  public boolean contains(String domain) {
    if (exact.contains(domain)) {
      return true;
    }
    return suffixTable.longest(domain) != null;
  }

  /** The exact names, for indexing. */
  public Set<String> exactNames() {
    return Set.copyOf(exact);
  }

  /** The wildcard suffixes without their {@code *.}, for indexing. */
  public Set<String> wildcardSuffixes() {
    return Set.copyOf(suffixes);
  }

  public List<String> patterns() {
    return patterns;
  }

  @Override
  public String toString() {
    return patterns.toString();
  }
}
