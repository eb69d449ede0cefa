package dev.sluice.relay.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * A loaded key, ready to sign. Immutable; {@link #sign} makes a new {@link Signature} per call, so
 * one key serves every thread.
 *
 * @param publicKey the {@code p=} value: DER SubjectPublicKeyInfo for RSA, the raw 32-byte key for
 *     Ed25519 (RFC 8463 §4.2)
 */
record SigningKey(DkimKey config, Algorithm algorithm, PrivateKey privateKey, byte[] publicKey) {

  /** Names the key, never prints it: secrets stay out of logs. */
  @Override
  public String toString() {
    return algorithm.tag + " key " + dnsName() + " (" + config.keyFile() + ")";
  }

  /** The TXT record value operators publish. */
  String dnsRecord() {
    return "v=DKIM1; k="
        + algorithm.keyType
        + "; p="
        + Base64.getEncoder().encodeToString(publicKey);
  }

  /** The DNS name the record goes to. */
  String dnsName() {
    return config.selector() + "._domainkey." + config.domain();
  }

  /** The signature ({@code b=}) over the canonical header data. */
  byte[] sign(byte[] headerData) throws GeneralSecurityException {
    return switch (algorithm) {
      case RSA_SHA256 -> signWith("SHA256withRSA", headerData);
      // RFC 8463 §3: PureEdDSA over the SHA-256 hash of the data, not over the data itself.
      case ED25519_SHA256 ->
          signWith("Ed25519", MessageDigest.getInstance("SHA-256").digest(headerData));
    };
  }

  private byte[] signWith(String jcaName, byte[] data) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(jcaName);
    signature.initSign(privateKey);
    signature.update(data);
    return signature.sign();
  }
}
