package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpLineDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new SmtpLineDecoder(16));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** Feeds each chunk as its own read; returns the lines framed. */
  private List<SmtpLine> read(String... chunks) {
    for (String chunk : chunks) {
      channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
    }
    List<SmtpLine> lines = new ArrayList<>();
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      lines.add((SmtpLine) o);
    }
    return lines;
  }

  @Test
  void aCrlfSplitBetweenTwoReadsEndsOneCleanLine() {
    assertThat(read("MAIL FROM:<>\r", "\n"))
        .singleElement()
        .satisfies(l -> assertThat(l.text()).isEqualTo("MAIL FROM:<>"))
        .satisfies(l -> assertThat(l.isClean()).isTrue());
  }

  @Test
  void anOverlongLineWhoseCrAndLfArriveInDifferentReadsStillEndsWithCrlf() {
    List<SmtpLine> lines = read("z".repeat(40) + "\r", "\n.\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).tooLong()).isTrue();
    assertThat(lines.get(0).bareLf())
        .as("its CR was discarded with it, but it was there")
        .isFalse();
    assertThat(lines.get(1).text()).isEqualTo(".");
  }

  @Test
  void anOverlongLineEndedByABareLfIsStillSeenAsOne() {
    List<SmtpLine> lines = read("z".repeat(40), "\n");
    assertThat(lines).singleElement().satisfies(l -> assertThat(l.bareLf()).isTrue());
  }

  @Test
  void linesUpToTheLimitAreKeptForTheSessionToJudge() {
    assertThat(read("x".repeat(16) + "\r\n"))
        .singleElement()
        .satisfies(l -> assertThat(l.longerThan(16)).isFalse())
        .satisfies(l -> assertThat(l.longerThan(15)).isTrue());
  }
}
