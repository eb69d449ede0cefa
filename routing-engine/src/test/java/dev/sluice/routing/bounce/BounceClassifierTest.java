package dev.sluice.routing.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BounceClassifierTest {
  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "550|5.1.1|The email account that you tried to reach does not exist|INVALID_RECIPIENT",
        "550||Requested action not taken: mailbox unavailable|INVALID_RECIPIENT",
        "550||No such user here|INVALID_RECIPIENT",
        "552|5.2.2|The email account that you tried to reach is over quota|MAILBOX_FULL",
        "452|4.2.2|Mailbox full|MAILBOX_FULL",
        "550|5.7.1|Message rejected as spam|POLICY",
        "550|5.7.26|Unauthenticated email is not accepted due to DMARC policy|POLICY",
        "421|4.7.28|Our system has detected an unusual rate of unsolicited mail|REPUTATION",
        "421||[TS04] Messages from 203.0.113.10 temporarily deferred|REPUTATION",
        "554||RL0000 Rate limited, try again later|REPUTATION",
        "550|5.7.1|Service unavailable; Client host blocked using Spamhaus|REPUTATION",
        "550|5.7.606|Access denied, banned sending IP (S3150)|REPUTATION",
        "451|4.3.0|Temporary server error|OTHER",
        "550|5.1.2|Host unknown|DNS",
        "556|5.1.10|Recipient address has null MX|DNS",
        "554|5.4.4|Unable to route|DNS",
        "530|5.7.10|Must issue a STARTTLS command first|TLS",
        "454|4.7.5|Certificate verification failed|TLS",
        "554|5.3.4|Message too big for system|OTHER",
        "554|5.7.1|<ceo@example.net>: Recipient address rejected: Access denied|POLICY",
        "550|5.7.0|Recipient address rejected: no mailbox for unauthenticated senders|POLICY",
        "554|5.4.6|<list@example.net>: Recipient address rejected: mail forwarding loop|OTHER",
        "553|5.1.7|<sender>: Sender address rejected: user unknown|OTHER",
        "550|5.0.0|<old.user@example.net>: User unknown|INVALID_RECIPIENT",
        "550|5.2.0|Mailbox unavailable: no such user|INVALID_RECIPIENT",
      })
  void classifiesProviderReplies(int code, String status, String text, BounceCategory expected) {
    assertThat(BounceClassifier.classify(code, status, text)).isEqualTo(expected);
  }
}
