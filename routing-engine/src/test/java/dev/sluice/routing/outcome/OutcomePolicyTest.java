package dev.sluice.routing.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.RouteAction.HardBouncePolicy;
import org.junit.jupiter.api.Test;

class OutcomePolicyTest {
  private static Disposition reply(Stage stage, int code) {
    return OutcomePolicy.forReply(stage, code, HardBouncePolicy.BOUNCE);
  }

  @Test
  void acceptedAtRcptOrAfterTheFinalDotIsDelivered() {
    assertThat(reply(Stage.DATA_END, 250)).isEqualTo(Disposition.DELIVERED);
    assertThat(reply(Stage.RCPT, 250)).isEqualTo(Disposition.DELIVERED);
  }

  @Test
  void refusalsBeforeTheTransactionTryTheNextHostWhateverTheCode() {
    for (Stage s : new Stage[] {Stage.CONNECT, Stage.GREETING, Stage.EHLO, Stage.TLS, Stage.AUTH}) {
      assertThat(reply(s, 554)).as("%s 554", s).isEqualTo(Disposition.NEXT_HOST);
      assertThat(reply(s, 421)).as("%s 421", s).isEqualTo(Disposition.NEXT_HOST);
      assertThat(OutcomePolicy.blamesPath(s, 554)).isTrue();
    }
  }

  @Test
  void transientRepliesToTheWholeTransactionTryTheNextHost() {
    assertThat(reply(Stage.MAIL, 451)).isEqualTo(Disposition.NEXT_HOST);
    assertThat(reply(Stage.DATA, 450)).isEqualTo(Disposition.NEXT_HOST);
    assertThat(reply(Stage.DATA_END, 451)).isEqualTo(Disposition.NEXT_HOST);
    assertThat(reply(Stage.RCPT, 421)).isEqualTo(Disposition.NEXT_HOST);
    assertThat(OutcomePolicy.blamesPath(Stage.RCPT, 421)).isTrue();
    assertThat(OutcomePolicy.blamesPath(Stage.DATA_END, 451)).isFalse();
  }

  @Test
  void transientRcptRepliesDeferOneRecipientAnd452SplitsTheBatch() {
    assertThat(reply(Stage.RCPT, 450)).isEqualTo(Disposition.DEFER);
    assertThat(reply(Stage.RCPT, 451)).isEqualTo(Disposition.DEFER);
    assertThat(reply(Stage.RCPT, 452)).isEqualTo(Disposition.SPLIT);
  }

  @Test
  void permanentRepliesBounceUnlessTheRuleSaysRetry() {
    assertThat(reply(Stage.RCPT, 550)).isEqualTo(Disposition.BOUNCE);
    assertThat(reply(Stage.MAIL, 553)).isEqualTo(Disposition.BOUNCE);
    assertThat(reply(Stage.DATA_END, 554)).isEqualTo(Disposition.BOUNCE);
    assertThat(OutcomePolicy.forReply(Stage.RCPT, 550, HardBouncePolicy.RETRY))
        .isEqualTo(Disposition.DEFER);
  }

  @Test
  void faultsWithoutAReplyTryTheNextHostEvenAfterTheFinalDot() {
    assertThat(OutcomePolicy.forFault(Stage.CONNECT)).isEqualTo(Disposition.NEXT_HOST);
    assertThat(OutcomePolicy.forFault(Stage.DATA_END)).isEqualTo(Disposition.NEXT_HOST);
    assertThat(Stage.DATA_END.afterFinalDot()).isTrue();
    assertThat(Stage.DATA.afterFinalDot()).isFalse();
  }
}
