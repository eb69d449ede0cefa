package dev.sluice.relay.dkim;

import java.net.IDN;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One DKIM signing key as configured: it signs mail from {@code domain} ({@code d=}) and is
 * published at {@code <selector>._domainkey.<domain>} ({@code s=}).
 *
 * @param domain the signing domain; stored as its lower-case A-label ({@code bücher.example}
 *     becomes {@code xn--bcher-kva.example}), the form DNS and the {@code d=} tag use
 * @param selector the selector: dot-separated DNS labels of letters, digits and hyphens
 * @param keyFile a PEM private key: RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8)
 */
public record DkimKey(String domain, String selector, Path keyFile) {
  private static final Pattern SELECTOR =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  public DkimKey {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(keyFile, "keyFile");
    String given = domain;
    domain =
        aLabel(domain)
            .orElseThrow(() -> new IllegalArgumentException("not a domain name: '" + given + "'"));
    if (!isSelector(selector)) {
      throw new IllegalArgumentException("not a DKIM selector: '" + selector + "'");
    }
  }

  /**
   * The lower-case A-label form of a domain written either way (RFC 5890; java.net.IDN's IDNA2003
   * mapping), without a trailing dot; empty when it is not a valid host name.
   */
  public static Optional<String> aLabel(String domain) {
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (name.isEmpty()) {
      return Optional.empty();
    }
    try {
      String ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
      return ascii.length() <= 253 ? Optional.of(ascii) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** RFC 6376 §3.1: a selector is one or more DNS labels, as it becomes part of a DNS name. */
  public static boolean isSelector(String selector) {
    return SELECTOR.matcher(selector).matches();
  }
}
