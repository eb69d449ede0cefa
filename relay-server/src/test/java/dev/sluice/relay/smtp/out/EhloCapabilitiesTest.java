package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EhloCapabilitiesTest {
  @Test
  void readsTheCommonExtensions() {
    EhloCapabilities caps =
        EhloCapabilities.parse(
            List.of(
                "mx.example.net Hello",
                "PIPELINING",
                "SIZE 35882577",
                "8BITMIME",
                "STARTTLS",
                "ENHANCEDSTATUSCODES",
                "SMTPUTF8",
                "DSN",
                "AUTH LOGIN plain XOAUTH2"));

    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.size()).hasValue(35882577);
    assertThat(caps.eightBitMime()).isTrue();
    assertThat(caps.startTls()).isTrue();
    assertThat(caps.enhancedStatusCodes()).isTrue();
    assertThat(caps.smtpUtf8()).isTrue();
    assertThat(caps.dsn()).isTrue();
    assertThat(caps.authMechanisms()).containsExactlyInAnyOrder("LOGIN", "PLAIN", "XOAUTH2");
  }

  @Test
  void theGreetingLineIsNotAnExtension() {
    EhloCapabilities caps = EhloCapabilities.parse(List.of("PIPELINING"));

    assertThat(caps.pipelining()).isFalse();
  }

  @Test
  void sizeWithoutALimitIsOfferedButHasNoLimit() {
    EhloCapabilities caps = EhloCapabilities.parse(List.of("mx", "size 0"));

    assertThat(caps.offers("SIZE")).isTrue();
    assertThat(caps.size()).isEmpty();
    assertThat(EhloCapabilities.parse(List.of("mx", "SIZE")).size()).isEmpty();
    assertThat(EhloCapabilities.parse(List.of("mx", "SIZE lots")).size()).isEmpty();
  }

  @Test
  void acceptsTheOldAuthEqualsSyntaxAndSkipsGarbage() {
    EhloCapabilities caps =
        EhloCapabilities.parse(List.of("mx", "AUTH=LOGIN PLAIN", "", "  ", "???", "X-EXPS GSSAPI"));

    assertThat(caps.authMechanisms()).containsExactlyInAnyOrder("LOGIN", "PLAIN");
    assertThat(caps.keywords()).containsExactlyInAnyOrder("AUTH", "X-EXPS");
  }
}
