package dev.sluice.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.MessageId;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryActivityTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final MessageId ID = new MessageId("0G5RM2K9T4XZ");
  private final DeliveryActivity activity = new DeliveryActivity();

  private static AttemptResult result(Disposition d, int code, String text) {
    SpoolRecipient r = SpoolRecipient.of("a@example.net");
    return new AttemptResult(
        List.of(
            new RecipientOutcome(
                r,
                d,
                Stage.RCPT,
                SmtpReply.of(code, code < 400 ? "2.0.0" : "4.7.1", text),
                "mx",
                false)),
        Optional.empty());
  }

  @Test
  void ratePerMinuteCountsOnlyTheLastMinute() {
    activity.started("m");
    assertThat(activity.connections("m")).isEqualTo(1);
    activity.attempted(ID, "p", "m", "default", result(Disposition.DELIVERED, 250, "ok"), T0);
    assertThat(activity.connections("m")).isZero();
    activity.attempted(
        ID, "p", "m", "default", result(Disposition.DELIVERED, 250, "ok"), T0.plusSeconds(30));
    assertThat(activity.ratePerMinute("m", T0.plusSeconds(30))).isEqualTo(2);
    assertThat(activity.ratePerMinute("m", T0.plusSeconds(75))).isEqualTo(1);
    assertThat(activity.ratePerMinute("m", T0.plusSeconds(200))).isZero();
    assertThat(activity.attemptsPerSecond("m", "default", T0.plusSeconds(60))).isEqualTo(2 / 300.0);
  }

  @Test
  void lastErrorIsTheFirstReplyThatWasNotASuccess() {
    activity.attempted(ID, "p", "m", "default", result(Disposition.DEFER, 451, "later"), T0);
    activity.attempted(
        ID, "p", "m", "default", result(Disposition.DELIVERED, 250, "ok"), T0.plusSeconds(1));
    assertThat(activity.lastError("m"))
        .hasValueSatisfying(
            e -> {
              assertThat(e.at()).isEqualTo(T0);
              assertThat(e.reply()).contains("451 4.7.1 later");
            });
    assertThat(activity.lastError("other")).isEmpty();
  }

  @Test
  void aMessageKeepsItsLatestAttemptsOnly() {
    for (int i = 0; i < DeliveryActivity.MAX_ATTEMPTS + 5; i++) {
      activity.attempted(
          ID, "p", "m", "default", result(Disposition.DEFER, 451, "n" + i), T0.plusSeconds(i));
    }
    List<DeliveryActivity.AttemptRecord> kept = activity.attempts(ID);
    assertThat(kept).hasSize(DeliveryActivity.MAX_ATTEMPTS);
    assertThat(kept.get(0).at()).isEqualTo(T0.plusSeconds(5));
    assertThat(activity.attempts(new MessageId("0G5RM2K9T4XY"))).isEmpty();
  }
}
