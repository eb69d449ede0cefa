package dev.sluice.relay.dkim;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads DKIM private keys from PEM files: RSA as PKCS#1 or PKCS#8, Ed25519 as PKCS#8. */
final class KeyFiles {
  /** RFC 8301 §3.2: verifiers must not accept RSA keys below 1024 bits. */
  private static final int MIN_RSA_BITS = 1024;

  private KeyFiles() {}

  /** Loads one key; the exception names the file and says what is wrong with it. */
  static SigningKey load(DkimKey config) throws IOException {
    Object pem;
    try (Reader reader = Files.newBufferedReader(config.keyFile(), StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      pem = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "DKIM key " + config.keyFile() + " cannot be read as PEM: " + e.getMessage(), e);
    }
    try {
      PrivateKeyInfo info;
      if (pem instanceof PEMKeyPair pair) {
        info = pair.getPrivateKeyInfo(); // "BEGIN RSA PRIVATE KEY" (PKCS#1)
      } else if (pem instanceof PrivateKeyInfo pkcs8) {
        info = pkcs8; // "BEGIN PRIVATE KEY"
      } else if (pem == null) {
        throw new IOException("no PEM private key in it");
      } else {
        throw new IOException(
            "expected an unencrypted RSA or Ed25519 private key, found "
                + pem.getClass().getSimpleName());
      }
      var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
      if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        return rsa(config, info);
      }
      if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
        return ed25519(config, info);
      }
      throw new IOException(
          "unsupported key algorithm " + oid + " (DKIM signs with RSA or Ed25519)");
    } catch (IOException e) {
      throw new IOException("DKIM key " + config.keyFile() + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException("DKIM key " + config.keyFile() + " is not a valid key: " + e, e);
    }
  }

  private static SigningKey rsa(DkimKey config, PrivateKeyInfo info)
      throws IOException, GeneralSecurityException {
    PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info);
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new IOException("RSA key without its public exponent (CRT parameters)");
    }
    BigInteger modulus = crt.getModulus();
    if (modulus.bitLength() < MIN_RSA_BITS) {
      throw new IOException(
          "RSA key of "
              + modulus.bitLength()
              + " bits is too short: verifiers reject keys under 1024 bits; use 2048");
    }
    byte[] publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(modulus, crt.getPublicExponent()))
            .getEncoded();
    return new SigningKey(config, Algorithm.RSA_SHA256, key, publicKey);
  }

  private static SigningKey ed25519(DkimKey config, PrivateKeyInfo info)
      throws IOException, GeneralSecurityException {
    Ed25519PrivateKeyParameters params =
        (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(info);
    // The JDK key from the 32-byte seed: independent of PKCS#8 v1 or v2 (with public key).
    PrivateKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePrivate(
                new EdECPrivateKeySpec(NamedParameterSpec.ED25519, params.getEncoded()));
    return new SigningKey(
        config, Algorithm.ED25519_SHA256, key, params.generatePublicKey().getEncoded());
  }
}
