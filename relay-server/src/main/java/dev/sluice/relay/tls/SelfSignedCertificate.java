package dev.sluice.relay.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the self-signed certificate Sluice serves when none is configured: an EC P-256 key and a
 * one-year certificate for the host name, written as PEM files (key readable by the owner only) and
 * reused on later starts until it is 30 days from expiring or no longer names the host.
 */
public final class SelfSignedCertificate {
  /** How long before it expires a certificate is made again. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private SelfSignedCertificate() {}

  /**
   * The pair in {@code dir} ({@code selfsigned.crt}, {@code selfsigned.key}), made if missing,
   * unreadable, close to expiring or made for another host name.
   */
  public static PemPair ensure(Path dir, String hostname, Clock clock) throws IOException {
    Path cert = dir.resolve("selfsigned.crt");
    Path key = dir.resolve("selfsigned.key");
    if (Files.isRegularFile(key) && usable(cert, hostname, clock.instant())) {
      return new PemPair(cert, key);
    }
    Files.createDirectories(dir);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Instant now = clock.instant();
      X500Name subject = new X500Name("CN=" + hostname);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              subject,
              pair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, hostname),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")
              }));
      var holder =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      writeAtomically(
          key,
          pem(
              new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)
                  .generate()),
          true);
      writeAtomically(cert, pem(holder), false);
      return new PemPair(cert, key);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static boolean usable(Path cert, String hostname, Instant now) {
    try (InputStream in = Files.newInputStream(cert)) {
      X509Certificate c =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (c.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
        return false;
      }
      Collection<List<?>> names = c.getSubjectAlternativeNames();
      return names != null
          && names.stream()
              .anyMatch(
                  n ->
                      Integer.valueOf(GeneralName.dNSName).equals(n.get(0))
                          && hostname.equalsIgnoreCase(String.valueOf(n.get(1))));
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      return false; // missing or unreadable: make a new one
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static void writeAtomically(Path target, String text, boolean secret) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's protection applies
      }
    }
    Files.writeString(tmp, text);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A certificate chain file and its private key file, both PEM. */
  public record PemPair(Path certificate, Path key) {}
}
