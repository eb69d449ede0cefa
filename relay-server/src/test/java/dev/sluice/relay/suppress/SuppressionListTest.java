package dev.sluice.relay.suppress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionListTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
  @TempDir Path dir;

  @Test
  void anAddressIsSuppressedPerTenantCaseInsensitively() throws Exception {
    try (SuppressionList list = SuppressionList.open(dir.resolve("suppression.tsv"))) {
      list.add(Optional.of("shop"), "Gone@Example.NET", "550 5.1.1 no such user", AT);
      assertThat(list.contains(Optional.of("shop"), "gone@example.net")).isTrue();
      assertThat(list.contains(Optional.of("platform"), "gone@example.net")).isFalse();
      assertThat(list.contains(Optional.empty(), "gone@example.net")).isFalse();
    }
  }

  @Test
  void additionsAndRemovalsSurviveARestart() throws Exception {
    Path file = dir.resolve("suppression.tsv");
    try (SuppressionList list = SuppressionList.open(file)) {
      list.add(Optional.empty(), "a@example.net", "bounced", AT);
      list.add(Optional.empty(), "b@example.net", "bounced", AT);
      assertThat(list.remove(Optional.empty(), "a@example.net")).isTrue();
      assertThat(list.remove(Optional.empty(), "nobody@example.net")).isFalse();
    }
    try (SuppressionList list = SuppressionList.open(file)) {
      assertThat(list.entries())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.address()).isEqualTo("b@example.net");
                assertThat(e.tenant()).isEqualTo("-");
                assertThat(e.since()).isEqualTo(AT);
              });
    }
  }

  @Test
  void aReasonWithLineBreaksCannotForgeEntriesAndDamagedLinesAreSkipped() throws Exception {
    Path file = dir.resolve("suppression.tsv");
    try (SuppressionList list = SuppressionList.open(file)) {
      list.add(
          Optional.empty(),
          "a@example.net",
          "550 x\nadd\t-\tforged@example.net\t" + AT + "\tx",
          AT);
    }
    Files.writeString(
        file,
        Files.readString(file) + "garbage line\nadd\t-\tbad-date@example.net\tyesterday\tx\n",
        StandardCharsets.UTF_8);
    try (SuppressionList list = SuppressionList.open(file)) {
      assertThat(list.entries())
          .extracting(SuppressionList.Entry::address)
          .containsExactly("a@example.net");
    }
  }

  @Test
  void anAdditionAfterATornLastLineSurvivesTheNextRestart() throws Exception {
    Path file = dir.resolve("suppression.tsv");
    try (SuppressionList list = SuppressionList.open(file)) {
      list.add(Optional.empty(), "a@example.net", "550 5.1.1 no such user", AT);
    }
    // a crash in the middle of the next add left its line without the newline
    Files.writeString(file, "add\t-\tb@exa", StandardOpenOption.APPEND);
    try (SuppressionList list = SuppressionList.open(file)) {
      list.add(Optional.empty(), "c@example.net", "550 5.1.1 no such user", AT);
    }
    try (SuppressionList list = SuppressionList.open(file)) {
      assertThat(list.entries())
          .as(Files.readString(file))
          .extracting(SuppressionList.Entry::address)
          .containsExactly("a@example.net", "c@example.net");
    }
  }

  @Test
  void aLineWithATornUtf8CharacterIsSkippedAndTheOthersKept() throws Exception {
    Path file = dir.resolve("suppression.tsv");
    try (SuppressionList list = SuppressionList.open(file)) {
      list.add(Optional.empty(), "a@example.net", "550 5.1.1 no such user", AT);
    }
    // a write cut inside "ü" (0xC3 0xBC), followed by a later, complete line
    byte[] torn = "add\t-\tj\u00fcrgen@example.de".getBytes(StandardCharsets.UTF_8);
    Files.write(file, Arrays.copyOf(torn, 8), StandardOpenOption.APPEND);
    Files.writeString(
        file, "\nadd\t-\tc@example.net\t" + AT + "\tbounced\n", StandardOpenOption.APPEND);
    try (SuppressionList list = SuppressionList.open(file)) {
      assertThat(list.entries())
          .extracting(SuppressionList.Entry::address)
          .containsExactly("a@example.net", "c@example.net");
    }
  }
}
