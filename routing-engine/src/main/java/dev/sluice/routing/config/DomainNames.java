package dev.sluice.routing.config;

import java.util.regex.Pattern;

/** Syntax checks for host and domain names as they appear in routes.yaml. */
final class DomainNames {
  // RFC 1123 labels; IDNs are written in their A-label (xn--) form or as UTF-8 letters.
  private static final Pattern LABEL =
      Pattern.compile("[\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?");

  private DomainNames() {}

  /**
   * A host or domain name: dot-separated labels, at most 253 characters; a trailing dot is allowed.
   */
  static boolean isHostname(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty() || n.length() > 253) {
      return false;
    }
    for (String label : n.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** A domain or a {@code *.domain} wildcard. */
  static boolean isPattern(String pattern) {
    return isHostname(pattern.startsWith("*.") ? pattern.substring(2) : pattern);
  }

  /** An MX host suffix such as {@code .google.com} (the leading dot is optional). */
  static boolean isSuffix(String suffix) {
    return isHostname(suffix.startsWith(".") ? suffix.substring(1) : suffix);
  }
}
