package dev.sluice.relay.dkim;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One DKIM signing key as configured: it signs mail from {@code domain} ({@code d=}) and is
 * published at {@code <selector>._domainkey.<domain>} ({@code s=}).
 *
 * @param domain the signing domain; stored lower-case
 * @param selector the selector
 * @param keyFile a PEM private key: RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8)
 */
public record DkimKey(String domain, String selector, Path keyFile) {
  public DkimKey {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(keyFile, "keyFile");
    domain = domain.toLowerCase(Locale.ROOT);
    if (domain.isBlank() || selector.isBlank()) {
      throw new IllegalArgumentException("a DKIM key needs a domain and a selector");
    }
  }
}
