package dev.sluice.relay.testing;

import dev.sluice.relay.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Self-signed certificates for test servers: PEM files (usable as a client trust bundle) and the
 * server {@link SSLContext} that serves them. Certificates name the host, {@code localhost} and
 * 127.0.0.1.
 */
public final class TestCertificates {
  private TestCertificates() {}

  /**
   * A certificate with its files and server context.
   *
   * @param certificate the PEM certificate: also the trust bundle that makes it verify
   */
  public record TestCertificate(String hostName, Path certificate, Path key, SSLContext server) {}

  /** Makes a fresh self-signed certificate for {@code hostName} under {@code dir}. */
  public static TestCertificate create(Path dir, String hostName) throws IOException {
    SelfSignedCertificate.PemPair pair =
        SelfSignedCertificate.ensure(dir, hostName, Clock.systemUTC());
    try {
      Certificate cert;
      try (InputStream in = Files.newInputStream(pair.certificate())) {
        cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      String pem =
          Files.readString(pair.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "test".toCharArray();
      store.setKeyEntry("server", key, password, new Certificate[] {cert});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return new TestCertificate(hostName, pair.certificate(), pair.key(), context);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the test certificate: " + e.getMessage(), e);
    }
  }
}
