package dev.sluice.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCertificatesTest {
  @TempDir Path dir;

  @Test
  void aRenewedPairReplacesTheContextAndABrokenOneIsRefused() throws IOException {
    SelfSignedCertificate.PemPair live =
        SelfSignedCertificate.ensure(dir.resolve("live"), "mx.test", Clock.systemUTC());
    TlsCertificates tls = TlsCertificates.load(live);
    SslContext first = tls.get();
    assertThat(tls.reloadIfChanged()).as("nothing changed").isFalse();

    SelfSignedCertificate.PemPair renewed =
        SelfSignedCertificate.ensure(dir.resolve("renewed"), "mx.test", Clock.systemUTC());
    install(renewed.certificate(), live.certificate(), 1);
    install(renewed.key(), live.key(), 1);
    assertThat(tls.reloadIfChanged()).isTrue();
    assertThat(tls.get()).isNotSameAs(first);

    SslContext good = tls.get();
    Files.writeString(
        live.key(), "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
    Files.setLastModifiedTime(live.key(), FileTime.from(Instant.now().plusSeconds(2)));
    assertThat(tls.reloadIfChanged()).isFalse();
    assertThat(tls.get()).isSameAs(good);
  }

  @Test
  void aPairThatDoesNotLoadStopsTheStart() throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "not a certificate");
    Path key = Files.writeString(dir.resolve("k.pem"), "not a key");
    assertThatThrownBy(() -> TlsCertificates.load(new SelfSignedCertificate.PemPair(cert, key)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot use TLS certificate " + cert);
  }

  /** Copies a file over another and moves its time forward, as a renewal would. */
  private static void install(Path from, Path to, int secondsLater) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(to, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }
}
