package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyEncoderTest {
  @Test
  void doublesLeadingDots() {
    assertThat(encode(".a\r\nb.\r\n..c\r\n.\r\n")).isEqualTo("..a\r\nb.\r\n...c\r\n..\r\n.\r\n");
  }

  @Test
  void turnsBareLfAndBareCrIntoCrlf() {
    assertThat(encode("a\nb\rc\r\n\n.d")).isEqualTo("a\r\nb\r\nc\r\n\r\n..d\r\n.\r\n");
  }

  @Test
  void endsTheTextWithCrlfBeforeTheFinalDot() {
    assertThat(encode("no newline")).isEqualTo("no newline\r\n.\r\n");
    assertThat(encode("ends in cr\r")).isEqualTo("ends in cr\r\n.\r\n");
    assertThat(encode("")).isEqualTo(".\r\n");
  }

  @Test
  void aCrlfSplitAcrossChunksStaysOneLineEnding() {
    ByteBuffer body = ByteBuffer.wrap("ab\r\n.c".getBytes(StandardCharsets.US_ASCII));
    BodyEncoder encoder = new BodyEncoder(body);
    ByteBuf out = Unpooled.buffer();
    while (!encoder.finished()) {
      encoder.next(out, 1);
    }
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ab\r\n..c\r\n.\r\n");
    assertThat(body.position()).as("the body is not consumed").isZero();
  }

  @Test
  void bodyTraitsTellEightBitTextFromEightBitHeaders() {
    assertThat(traits("Subject: caf\u00e9\r\n\r\nhi")).isEqualTo(new BodyTraits(true, true));
    assertThat(traits("Subject: x\r\n\r\ncaf\u00e9")).isEqualTo(new BodyTraits(true, false));
    assertThat(traits("Subject: x\n\ncaf\u00e9")).isEqualTo(new BodyTraits(true, false));
    assertThat(traits("Subject: x\r\n\r\nplain")).isEqualTo(new BodyTraits(false, false));
  }

  private static String encode(String text) {
    return new String(
        BodyEncoder.encode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8);
  }

  private static BodyTraits traits(String text) {
    return BodyTraits.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }
}
