package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.relay.smtp.SmtpReply;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
  @Test
  void readsTheEnhancedStatusCodeFromTheText() throws Exception {
    SmtpReply reply = ReplyParser.parse(List.of("550 5.1.1 <x@example.net>: no such user"));

    assertThat(reply).isEqualTo(SmtpReply.of(550, "5.1.1", "<x@example.net>: no such user"));
  }

  @Test
  void toleratesAReplyWithoutEnhancedStatus() throws Exception {
    assertThat(ReplyParser.parse(List.of("250 Ok")))
        .isEqualTo(new SmtpReply(250, "", List.of("Ok")));
    assertThat(ReplyParser.parse(List.of("354"))).isEqualTo(new SmtpReply(354, "", List.of("")));
  }

  @Test
  void ignoresAStatusWhoseClassDiffersFromTheCode() throws Exception {
    assertThat(ReplyParser.parse(List.of("250 5.0.0 odd")).status()).isEmpty();
  }

  @Test
  void joinsMultiLineRepliesAndStripsTheRepeatedStatus() throws Exception {
    SmtpReply reply =
        ReplyParser.parse(
            List.of("451-4.7.1 greylisted", "451-4.7.1 come back", "451 4.7.1 later"));

    assertThat(reply.code()).isEqualTo(451);
    assertThat(reply.status()).isEqualTo("4.7.1");
    assertThat(reply.lines()).containsExactly("greylisted", "come back", "later");
  }

  @Test
  void refusesGarbageAndInconsistentReplies() {
    assertThatThrownBy(() -> ReplyParser.parse(List.of("HTTP/1.1 400 Bad Request")))
        .isInstanceOf(MalformedReplyException.class);
    assertThatThrownBy(() -> ReplyParser.parse(List.of("25 ok")))
        .isInstanceOf(MalformedReplyException.class);
    assertThatThrownBy(() -> ReplyParser.parse(List.of("150 ok")))
        .isInstanceOf(MalformedReplyException.class);
    assertThatThrownBy(() -> ReplyParser.parse(List.of("250-a", "251 b")))
        .hasMessageContaining("code changes");
    assertThatThrownBy(() -> ReplyParser.parse(List.of("250-a", "250-b")))
        .hasMessageContaining("continuation");
    assertThatThrownBy(() -> ReplyParser.parse(List.of("250 a\0b")))
        .isInstanceOf(MalformedReplyException.class);
  }

  @Test
  void showsOtherControlCharactersAsQuestionMarks() throws Exception {
    assertThat(ReplyParser.parse(List.of("250 a\u001b[31mb")).lines()).containsExactly("a?[31mb");
  }

  @Test
  void refusesOverlongLinesAndRepliesWithTooManyLines() {
    assertThatThrownBy(() -> ReplyParser.parse(List.of("250 " + "x".repeat(5000))))
        .hasMessageContaining("longer than");
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      many.add("250-x");
    }
    many.add("250 end");
    assertThatThrownBy(() -> ReplyParser.parse(many)).hasMessageContaining("lines");
  }

  @Test
  void theDecoderFramesRepliesAcrossReadsAndStopsAtGarbage() {
    EmbeddedChannel ch = new EmbeddedChannel(new ReplyDecoder());
    ch.writeInbound(Unpooled.copiedBuffer("250-mx.test\r\n250-PIPE", StandardCharsets.US_ASCII));
    Object none = ch.readInbound();
    assertThat(none).isNull();
    ch.writeInbound(Unpooled.copiedBuffer("LINING\r\n250 SIZE 10\r\n", StandardCharsets.US_ASCII));
    SmtpReply ehlo = ch.readInbound();
    assertThat(ehlo.lines()).containsExactly("mx.test", "PIPELINING", "SIZE 10");

    assertThatThrownBy(
            () -> ch.writeInbound(Unpooled.copiedBuffer("garbage\r\n", StandardCharsets.US_ASCII)))
        .isInstanceOf(DecoderException.class)
        .hasCauseInstanceOf(MalformedReplyException.class);
  }

  @Test
  void theDecoderRefusesALineThatNeverEnds() {
    EmbeddedChannel ch = new EmbeddedChannel(new ReplyDecoder());
    assertThatThrownBy(
            () ->
                ch.writeInbound(
                    Unpooled.copiedBuffer("250 " + "x".repeat(5000), StandardCharsets.US_ASCII)))
        .hasCauseInstanceOf(MalformedReplyException.class);
  }
}
