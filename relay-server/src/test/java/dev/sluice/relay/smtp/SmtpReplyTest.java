package dev.sluice.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {
  @Test
  void wireBytesAreSevenBitWhateverTheTextHolds() {
    SmtpReply echo = SmtpReply.of(501, "5.1.3", "Bad domain: bücher§");
    assertThat(new String(echo.wireBytes(), StandardCharsets.ISO_8859_1))
        .isEqualTo("501 5.1.3 Bad domain: b?cher?\r\n");
  }
}
