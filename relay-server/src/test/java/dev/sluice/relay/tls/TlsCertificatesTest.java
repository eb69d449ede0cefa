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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

  @Test
  void theSelfSignedCertificateIsMadeAgainBeforeItExpiresOrWhenTheHostNameChanges()
      throws IOException {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    SelfSignedCertificate.PemPair pair = SelfSignedCertificate.ensure(dir, "mx.test", at(start));
    String first = Files.readString(pair.certificate());

    SelfSignedCertificate.ensure(dir, "mx.test", at(start.plus(Duration.ofDays(300))));
    assertThat(Files.readString(pair.certificate())).as("still 65 days to go").isEqualTo(first);

    SelfSignedCertificate.ensure(dir, "mx.test", at(start.plus(Duration.ofDays(340))));
    String renewed = Files.readString(pair.certificate());
    assertThat(renewed).as("25 days from expiring").isNotEqualTo(first);

    SelfSignedCertificate.ensure(dir, "relay.test", at(start.plus(Duration.ofDays(341))));
    assertThat(Files.readString(pair.certificate())).as("a new host name").isNotEqualTo(renewed);
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  /** Copies a file over another and moves its time forward, as a renewal would. */
  private static void install(Path from, Path to, int secondsLater) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(to, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }
}
