package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.dsn.DsnMessage;
import dev.sluice.relay.dsn.DsnReport;
import dev.sluice.relay.dsn.RecipientStatus;
import dev.sluice.relay.spool.SpoolRecipient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionPlanTest {
  private static final EhloCapabilities DSN =
      EhloCapabilities.parse(List.of("mx", "DSN", "SIZE 1000", "8BITMIME", "SMTPUTF8"));
  private static final EhloCapabilities PLAIN = EhloCapabilities.parse(List.of("mx"));

  @Test
  void passesDsnParametersOnlyWhenOfferedAndXtextEncodesThem() {
    OutboundMessage m =
        new OutboundMessage(
            "s@example.com",
            List.of(new SpoolRecipient("r@example.net", "success,failure", "rfc822;a+b=c@x")),
            body("hi\r\n"),
            "id 1=2",
            "hdrs");

    TransactionPlan withDsn = TransactionPlan.of(m, DSN, "mx");
    assertThat(withDsn.mail())
        .isEqualTo("MAIL FROM:<s@example.com> SIZE=4 RET=HDRS ENVID=id+201+3D2");
    assertThat(withDsn.recipients().get(0).command())
        .isEqualTo("RCPT TO:<r@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bb+3Dc@x");

    TransactionPlan without = TransactionPlan.of(m, PLAIN, "mx");
    assertThat(without.mail()).isEqualTo("MAIL FROM:<s@example.com>");
    assertThat(without.recipients().get(0).command()).isEqualTo("RCPT TO:<r@example.net>");
  }

  @Test
  void alreadyEncodedXtextGoesOnUnchanged() {
    OutboundMessage m =
        new OutboundMessage(
            "s@example.com",
            List.of(new SpoolRecipient("r@example.net", null, "rfc822;a+2Bb@x")),
            body("hi\r\n"),
            "abc+2B",
            null);

    TransactionPlan plan = TransactionPlan.of(m, DSN, "mx");
    assertThat(plan.mail()).endsWith(" ENVID=abc+2B");
    assertThat(plan.recipients().get(0).command()).endsWith(" ORCPT=rfc822;a+2Bb@x");
  }

  @Test
  void neverWritesControlCharactersFromInput() {
    OutboundMessage badRcpt =
        new OutboundMessage(
            "s@example.com",
            List.of(
                SpoolRecipient.of("ok@example.net"),
                SpoolRecipient.of("a@x\r\nRSET"),
                SpoolRecipient.of("a b@x"),
                new SpoolRecipient("c@example.net", null, "rfc822;c@x\nQUIT")),
            body("hi\r\n"),
            null,
            null);
    TransactionPlan plan = TransactionPlan.of(badRcpt, DSN, "mx");
    assertThat(plan.recipients())
        .extracting(s -> s.refusal() == null ? 0 : s.refusal().code())
        .containsExactly(0, 501, 501, 501);

    OutboundMessage badSender =
        new OutboundMessage(
            "s@x\r\nDATA", List.of(SpoolRecipient.of("ok@example.net")), body("x"), null, null);
    assertThat(TransactionPlan.of(badSender, DSN, "mx").refused())
        .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(501));

    OutboundMessage badEnvid =
        new OutboundMessage(
            "s@x", List.of(SpoolRecipient.of("ok@example.net")), body("x"), "a\rb", null);
    assertThat(TransactionPlan.of(badEnvid, DSN, "mx").refused()).isPresent();
  }

  @Test
  void aQuotedLocalPartMayHoldSpaces() {
    assertThat(Addresses.isSafe("\"john doe\"@example.net")).isTrue();
    assertThat(Addresses.isSafe("john doe@example.net")).isFalse();
    assertThat(Addresses.isSafe("a@x> NOTIFY=NEVER")).isFalse();
    assertThat(Addresses.isSafe("")).as("the null sender").isTrue();
  }

  @Test
  void theNullSenderIsWrittenAsEmptyBrackets() {
    OutboundMessage bounce =
        new OutboundMessage("", List.of(SpoolRecipient.of("r@example.net")), body("x"), null, null);
    assertThat(TransactionPlan.of(bounce, PLAIN, "mx").mail()).isEqualTo("MAIL FROM:<>");
  }

  @Test
  void eightBitTextGoesOnlyToAServerThatOffers8bitmime() {
    OutboundMessage m =
        new OutboundMessage(
            "s@example.com",
            List.of(SpoolRecipient.of("r@example.net")),
            body("Subject: hi\r\n\r\ncaf\u00e9\r\n"),
            null,
            null);
    assertThat(TransactionPlan.of(m, DSN, "mx").mail()).contains(" BODY=8BITMIME");
    assertThat(TransactionPlan.of(m, PLAIN, "mx.example").refused())
        .hasValueSatisfying(
            r ->
                assertThat(r.toString())
                    .isEqualTo(
                        "554 5.6.3 8-bit message text, but mx.example does not offer 8BITMIME"));
  }

  @Test
  void theDsnOfAnEightBitOrUtf8MessageGoesToAServerWithout8bitmime() {
    for (String original :
        List.of(
            "From: a@example.com\r\nSubject: hi\r\n\r\ncaf\u00e9\r\n",
            "From: J\u00fcrgen <j@example.de>\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nHallo\r\n")) {
      DsnReport report =
          new DsnReport(
              "mx.sluice.example",
              "MAILER-DAEMON@mx.sluice.example",
              "a@example.com",
              "Q1",
              null,
              "FULL",
              Instant.parse("2025-06-03T10:00:00Z"),
              List.of(
                  new RecipientStatus(
                      "r@example.net",
                      null,
                      RecipientStatus.Action.FAILED,
                      "5.1.1",
                      "mx.example.net",
                      "550 5.1.1 no such user",
                      null)),
              body(original));
      byte[] dsn =
          DsnMessage.build(
              report, ZonedDateTime.of(2025, 6, 3, 11, 0, 0, 0, ZoneOffset.UTC), "<d@mx>");
      OutboundMessage bounce =
          new OutboundMessage(
              "", List.of(SpoolRecipient.of("a@example.com")), ByteBuffer.wrap(dsn), null, null);

      assertThat(TransactionPlan.of(bounce, PLAIN, "mx").refused()).as(original).isEmpty();
    }
  }

  private static ByteBuffer body(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }
}
