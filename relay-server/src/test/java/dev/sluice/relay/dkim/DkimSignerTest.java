package dev.sluice.relay.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures checked by dkimpy, a verifier we did not write. */
class DkimSignerTest {
  static final Instant NOW = Instant.parse("2025-06-03T10:00:00Z");
  static final String MESSAGE =
      "From: Alice <alice@example.com>\r\n"
          + "To: bob@example.org\r\n"
          + "Subject: Your order\r\n"
          + "Date: Tue, 3 Jun 2025 10:00:00 +0000\r\n"
          + "Message-ID: <order-1@example.com>\r\n"
          + "MIME-Version: 1.0\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "X-Mailer: shop 1.0\r\n"
          + "\r\n"
          + "Thanks for your order.\r\n";

  @TempDir static Path dir;
  static Path rsaPkcs1;
  static Path rsaPkcs8;
  static Path ed25519;

  @BeforeAll
  static void writeKeys() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    rsaPkcs1 = pem("rsa1.pem", rsa.generateKeyPair().getPrivate(), false);
    rsaPkcs8 = pem("rsa8.pem", rsa.generateKeyPair().getPrivate(), true);
    ed25519 =
        pem("ed.pem", KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate(), true);
    assertThat(Files.readString(rsaPkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(rsaPkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(ed25519)).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  static Path pem(String name, PrivateKey key, boolean pkcs8) throws IOException {
    Path file = dir.resolve(name);
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(pkcs8 ? new JcaPKCS8Generator(key, null) : key);
    }
    return file;
  }

  static DkimSigner signer(Path key) throws IOException {
    return DkimSigner.load(List.of(new DkimKey("example.com", "s1", key)));
  }

  /** The signature fields followed by the message, as it goes on the wire. */
  static byte[] signed(DkimSigner signer, String message) {
    ByteBuffer buffer = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
    byte[] field = signer.sign("example.com", buffer, NOW).orElseThrow();
    assertThat(buffer.position()).isZero();
    byte[] out = new byte[field.length + buffer.remaining()];
    System.arraycopy(field, 0, out, 0, field.length);
    buffer.get(out, field.length, buffer.remaining());
    return out;
  }

  static DkimPy.Verdict verify(DkimSigner signer, byte[] message) throws Exception {
    return DkimPy.verify(message, signer.dnsRecords("example.com"));
  }

  static String tag(byte[] signed, String name) {
    String unfolded = new String(signed, StandardCharsets.US_ASCII).replaceAll("\r\n[ \t]+", " ");
    Matcher m = Pattern.compile("[; ]" + name + "=([^;]*)").matcher(unfolded);
    assertThat(m.find()).as("tag %s in %s", name, unfolded).isTrue();
    return m.group(1).replace(" ", "");
  }

  @Test
  void rsaPkcs1KeySignsWhatDkimpyVerifies() throws Exception {
    DkimSigner signer = signer(rsaPkcs1);
    byte[] message = signed(signer, MESSAGE);

    DkimPy.Verdict verdict = verify(signer, message);

    assertThat(verdict.valid()).as(verdict.log()).isTrue();
    assertThat(tag(message, "a")).isEqualTo("rsa-sha256");
    assertThat(tag(message, "c")).isEqualTo("relaxed/relaxed");
    assertThat(tag(message, "d")).isEqualTo("example.com");
    assertThat(tag(message, "s")).isEqualTo("s1");
    assertThat(tag(message, "t")).isEqualTo(String.valueOf(NOW.getEpochSecond()));
  }

  @Test
  void rsaPkcs8KeySignsWhatDkimpyVerifies() throws Exception {
    DkimSigner signer = signer(rsaPkcs8);

    DkimPy.Verdict verdict = verify(signer, signed(signer, MESSAGE));

    assertThat(verdict.valid()).as(verdict.log()).isTrue();
    assertThat(signer.dnsRecord("example.com").orElseThrow()).startsWith("v=DKIM1; k=rsa; p=MII");
  }

  @Test
  void ed25519KeySignsWhatDkimpyVerifies() throws Exception {
    DkimSigner signer = signer(ed25519);
    byte[] message = signed(signer, MESSAGE);

    DkimPy.Verdict verdict = verify(signer, message);

    assertThat(verdict.valid()).as(verdict.log()).isTrue();
    assertThat(tag(message, "a")).isEqualTo("ed25519-sha256");
    String record = signer.dnsRecord("example.com").orElseThrow();
    assertThat(record).startsWith("v=DKIM1; k=ed25519; p=");
    assertThat(Base64.getDecoder().decode(record.substring(record.indexOf("p=") + 2))).hasSize(32);
  }

  @Test
  void foldedHeadersAndTrailingWhitespaceAreCanonicalizedRelaxed() throws Exception {
    String message =
        "From:   Alice <alice@example.com>  \r\n"
            + "To: bob@example.org,\r\n"
            + "\tcarol@example.org ,\r\n"
            + "   dave@example.org\r\n"
            + "SUBJECT: Your   order\t \r\n"
            + "  is on its way \r\n"
            + "Date: Tue, 3 Jun 2025 10:00:00 +0000\r\n"
            + "\r\n"
            + "Line with trailing spaces   \r\n"
            + "Tabs\t\tinside  and   runs \t\r\n"
            + "  leading space\r\n";
    for (Path key : List.of(rsaPkcs8, ed25519)) {
      DkimSigner signer = signer(key);
      byte[] signed = signed(signer, message);

      DkimPy.Verdict verdict = verify(signer, signed);

      assertThat(verdict.valid()).as(verdict.log()).isTrue();
      // Relaxed canonicalization survives what relays do to whitespace.
      String rewritten =
          new String(signed, StandardCharsets.UTF_8)
              .replace("SUBJECT: Your   order\t \r\n  is on", "Subject: Your order is on")
              .replace("trailing spaces   \r\n", "trailing spaces\r\n");
      DkimPy.Verdict after =
          DkimPy.verify(
              rewritten.getBytes(StandardCharsets.UTF_8), signer.dnsRecords("example.com"));
      assertThat(after.valid()).as(after.log()).isTrue();
    }
  }

  @Test
  void trailingEmptyLinesOfTheBodyDoNotChangeTheBodyHash() throws Exception {
    DkimSigner signer = signer(rsaPkcs1);
    String padded = MESSAGE + "\r\n\r\n \r\n\t\r\n";

    byte[] plain = signed(signer, MESSAGE);
    byte[] withEmptyLines = signed(signer, padded);

    DkimPy.Verdict verdict = verify(signer, withEmptyLines);
    assertThat(verdict.valid()).as(verdict.log()).isTrue();
    assertThat(tag(withEmptyLines, "bh")).isEqualTo(tag(plain, "bh"));
  }

  @Test
  void changedBodySubjectOrAddedFromIsReportedInvalid() throws Exception {
    for (Path key : List.of(rsaPkcs1, ed25519)) {
      DkimSigner signer = signer(key);
      String signed = new String(signed(signer, MESSAGE), StandardCharsets.UTF_8);

      DkimPy.Verdict body =
          DkimPy.verify(
              signed
                  .replace("Thanks for your order.", "Thanks for your 0rder.")
                  .getBytes(StandardCharsets.UTF_8),
              signer.dnsRecords("example.com"));
      DkimPy.Verdict subject =
          DkimPy.verify(
              signed
                  .replace("Subject: Your order", "Subject: Your 0rder")
                  .getBytes(StandardCharsets.UTF_8),
              signer.dnsRecords("example.com"));
      DkimPy.Verdict extraFrom =
          DkimPy.verify(
              ("From: mallory@example.net\r\n" + signed).getBytes(StandardCharsets.UTF_8),
              signer.dnsRecords("example.com"));

      assertThat(body.signatures()).isEqualTo(1);
      assertThat(body.valid()).as(body.log()).isFalse();
      assertThat(subject.valid()).as(subject.log()).isFalse();
      assertThat(extraFrom.valid()).as(extraFrom.log()).isFalse();
    }
  }

  @Test
  void signsTheUsualHeadersThatArePresentAndFromOnceMore() throws Exception {
    byte[] signed = signed(signer(rsaPkcs1), MESSAGE);

    assertThat(tag(signed, "h"))
        .isEqualTo("from:from:to:subject:date:message-id:mime-version:content-type");
  }

  @Test
  void signatureFieldIsFoldedUnder78Characters() throws Exception {
    String field =
        new String(
            signer(rsaPkcs1)
                .sign("example.com", ByteBuffer.wrap(MESSAGE.getBytes(StandardCharsets.UTF_8)), NOW)
                .orElseThrow(),
            StandardCharsets.US_ASCII);

    assertThat(field).startsWith("DKIM-Signature: v=1; a=rsa-sha256;").endsWith("\r\n");
    assertThat(field.split("\r\n"))
        .hasSizeGreaterThan(3)
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(78));
    assertThat(field.substring(0, field.length() - 2).split("\r\n"))
        .filteredOn(l -> !l.startsWith("DKIM-Signature:"))
        .allSatisfy(l -> assertThat(l).startsWith(" "));
  }

  @Test
  void domainWithAnRsaAndAnEd25519KeyGetsTwoSignatures() throws Exception {
    DkimSigner signer =
        DkimSigner.load(
            List.of(
                new DkimKey("example.com", "rsa", rsaPkcs8),
                new DkimKey("example.com", "ed", ed25519)));

    DkimPy.Verdict verdict = verify(signer, signed(signer, MESSAGE));

    assertThat(verdict.signatures()).isEqualTo(2);
    assertThat(verdict.valid()).as(verdict.log()).isTrue();
    assertThat(signer.dnsRecords("example.com"))
        .containsOnlyKeys("rsa._domainkey.example.com", "ed._domainkey.example.com");
  }

  @Test
  void keysAreFoundByExactDomainIgnoringCase() throws Exception {
    DkimSigner signer = DkimSigner.load(List.of(new DkimKey("Example.COM", "s1", rsaPkcs1)));
    ByteBuffer message = ByteBuffer.wrap(MESSAGE.getBytes(StandardCharsets.UTF_8));

    assertThat(signer.hasKey("example.com")).isTrue();
    assertThat(signer.hasKey("EXAMPLE.com")).isTrue();
    assertThat(signer.hasKey("mail.example.com")).isFalse();
    assertThat(signer.sign("other.example", message, NOW)).isEmpty();
    assertThat(signer.dnsRecord("other.example")).isEmpty();
    assertThat(signer.dnsRecords("other.example")).isEmpty();
  }

  @Test
  void aUlabelDomainSignsAsItsAlabelAndIsFoundUnderBothSpellings() throws Exception {
    DkimSigner signer =
        DkimSigner.load(List.of(new DkimKey("B\u00fccher.example", "s1", rsaPkcs1)));
    String message = "From: a@b\u00fccher.example\r\nSubject: x\r\n\r\nbody\r\n";
    ByteBuffer buffer = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));

    byte[] field = signer.sign("b\u00fcCHER.example", buffer, NOW).orElseThrow();
    byte[] signed = new byte[field.length + buffer.remaining()];
    System.arraycopy(field, 0, signed, 0, field.length);
    buffer.get(signed, field.length, buffer.remaining());

    assertThat(tag(signed, "d")).isEqualTo("xn--bcher-kva.example");
    assertThat(signer.hasKey("xn--bcher-kva.example")).isTrue();
    assertThat(signer.dnsRecords("b\u00fccher.example"))
        .containsOnlyKeys("s1._domainkey.xn--bcher-kva.example");
    DkimPy.Verdict verdict = DkimPy.verify(signed, signer.dnsRecords("xn--bcher-kva.example"));
    assertThat(verdict.valid()).as(verdict.log()).isTrue();
  }

  @Test
  void badKeyFilesAreRefusedNamingTheFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
    Path broken =
        Files.writeString(
            dir.resolve("broken.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair ecPair = ec.generateKeyPair();
    Path ecKey = pem("ec.pem", ecPair.getPrivate(), true);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(512);
    Path weak = pem("weak.pem", rsa.generateKeyPair().getPrivate(), false);
    Path missing = dir.resolve("missing.pem");

    for (Path bad : List.of(garbage, broken, ecKey, weak, missing)) {
      assertThatThrownBy(() -> signer(bad))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(bad.toString());
    }
    assertThatThrownBy(() -> signer(weak)).hasMessageContaining("512 bits");
    assertThatThrownBy(
            () ->
                DkimSigner.load(
                    List.of(
                        new DkimKey("example.com", "s1", rsaPkcs1),
                        new DkimKey("example.com", "s1", ed25519))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("selector 's1'");
  }

  @Test
  void messageWithoutBodyIsSigned() throws Exception {
    DkimSigner signer = signer(ed25519);
    String headersOnly = MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 2);

    DkimPy.Verdict verdict = verify(signer, signed(signer, headersOnly));

    assertThat(verdict.valid()).as(verdict.log()).isTrue();
  }
}
