package dev.sluice.relay.dkim;

import dev.sluice.routing.rules.DomainSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs outgoing mail with DKIM (RFC 6376): rsa-sha256, or ed25519-sha256 (RFC 8463) for Ed25519
 * keys, relaxed/relaxed canonicalization, no {@code l=}.
 *
 * <p>A domain may have several keys (an RSA and an Ed25519 key side by side, as RFC 8463 §5
 * suggests): the message then gets one {@code DKIM-Signature} per key, in the order the keys were
 * given. Immutable and thread-safe.
 */
public final class DkimSigner {
  private final Map<String, List<SigningKey>> keys;

  private DkimSigner(Map<String, List<SigningKey>> keys) {
    this.keys = keys;
  }

  /**
   * Loads every key (PEM: RSA in PKCS#1 {@code BEGIN RSA PRIVATE KEY} or PKCS#8 {@code BEGIN
   * PRIVATE KEY}; Ed25519 in PKCS#8). The algorithm follows the key type.
   *
   * @throws IOException naming the file, when a key cannot be read, is encrypted, is of another
   *     type, or is an RSA key under 1024 bits; or when one (domain, selector) pair is given twice
   */
  public static DkimSigner load(List<DkimKey> keys) throws IOException {
    Map<String, List<SigningKey>> byDomain = new LinkedHashMap<>();
    for (DkimKey key : keys) {
      List<SigningKey> list = byDomain.computeIfAbsent(key.domain(), d -> new ArrayList<>());
      for (SigningKey other : list) {
        if (other.config().selector().equals(key.selector())) {
          throw new IOException(
              "DKIM key "
                  + key.keyFile()
                  + ": selector '"
                  + key.selector()
                  + "' of "
                  + key.domain()
                  + " is already used by "
                  + other.config().keyFile());
        }
      }
      list.add(KeyFiles.load(key));
    }
    Map<String, List<SigningKey>> frozen = new LinkedHashMap<>();
    byDomain.forEach((domain, list) -> frozen.put(domain, List.copyOf(list)));
    return new DkimSigner(java.util.Collections.unmodifiableMap(frozen));
  }

  /**
   * Whether a key exists for this sender domain: exact match, case-insensitive, a U-label domain
   * matching its A-label.
   */
  public boolean hasKey(String domain) {
    return keysOf(domain).isPresent();
  }

  /**
   * The {@code DKIM-Signature: …\r\n} header field, folded, to put at the top of the message; one
   * field per key when the domain has several. Signs From (always, and once more than it occurs, so
   * no From can be added) and those of To, Cc, Subject, Date, Message-ID, Reply-To, MIME-Version,
   * Content-Type, Content-Transfer-Encoding, List-Unsubscribe, List-Unsubscribe-Post, In-Reply-To
   * and References that are present.
   *
   * @param message the full CRLF message exactly as it will be sent; not modified, its position is
   *     not moved
   * @param now the signing time, {@code t=}
   * @return the field as US-ASCII bytes; empty when the domain has no key
   */
  public Optional<byte[]> sign(String domain, ByteBuffer message, Instant now) {
    Optional<List<SigningKey>> found = keysOf(domain);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    HeaderField.Split split = HeaderField.split(message);
    String bodyHash = Base64.getEncoder().encodeToString(RelaxedBody.sha256(split.body()));
    StringBuilder fields = new StringBuilder();
    for (SigningKey key : found.get()) {
      try {
        fields.append(SignatureField.write(key, split.fields(), bodyHash, now));
      } catch (GeneralSecurityException e) {
        // The key was checked when loaded: failing now is a broken JCA provider, not bad input.
        throw new IllegalStateException(
            "DKIM signing with " + key.config().keyFile() + " failed: " + e, e);
      }
    }
    return Optional.of(fields.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The DNS TXT value to publish for the domain's key, {@code v=DKIM1; k=rsa; p=…} (or {@code
   * k=ed25519}); the first key's when the domain has several (see {@link #dnsRecords}).
   */
  public Optional<String> dnsRecord(String domain) {
    return keysOf(domain).map(list -> list.get(0).dnsRecord());
  }

  /**
   * Every record to publish for the domain: DNS name ({@code selector._domainkey.domain}) to TXT
   * value, in key order; empty when the domain has no key.
   */
  public Map<String, String> dnsRecords(String domain) {
    Map<String, String> records = new LinkedHashMap<>();
    for (SigningKey key : keysOf(domain).orElse(List.of())) {
      records.put(key.dnsName(), key.dnsRecord());
    }
    return java.util.Collections.unmodifiableMap(records);
  }

  private Optional<List<SigningKey>> keysOf(String domain) {
    // Keys are stored under valid A-labels, so a lookup needs the normal form, not validation.
    return Optional.ofNullable(keys.get(DomainSet.normalize(domain)));
  }
}
