package dev.sluice.relay.dkim;

/**
 * The signing algorithms Sluice writes: the {@code a=} tag and the {@code k=} of the key record.
 */
enum Algorithm {
  /** RFC 6376 §3.3.1. */
  RSA_SHA256("rsa-sha256", "rsa"),
  /** RFC 8463 §3. */
  ED25519_SHA256("ed25519-sha256", "ed25519");

  final String tag;
  final String keyType;

  Algorithm(String tag, String keyType) {
    this.tag = tag;
    this.keyType = keyType;
  }
}
