package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-11-23T10:15:30Z");

  private static Transaction transaction(String body, boolean tls) {
    return transaction(body, "app\r\nInjected: x", true, tls, Map.of(), "192.0.2.7");
  }

  private static Transaction transaction(
      String body,
      String helo,
      boolean esmtp,
      boolean tls,
      Map<String, String> mailParameters,
      String address) {
    ClientInfo client =
        new ClientInfo(
            address,
            helo,
            esmtp,
            tls ? Optional.of("TLSv1.3 TLS_AES_128_GCM_SHA256") : Optional.empty(),
            tls ? Optional.of("acme-app") : Optional.empty(),
            Optional.empty(),
            false);
    return new Transaction(
        "a@acme.example",
        mailParameters,
        List.of(new Transaction.Recipient("b@example.net", Map.of())),
        body.getBytes(StandardCharsets.UTF_8),
        client);
  }

  private static String received(Transaction t) {
    return TraceHeaders.received(t, "mx.test", NOW);
  }

  @Test
  void theProtocolIsTheRegisteredKeywordForHowTheClientSpoke() {
    String body = "Subject: hi\r\n\r\nbody\r\n";
    Map<String, String> utf8 = Map.of("SMTPUTF8", "");
    assertThat(received(transaction(body, "app.test", false, false, Map.of(), "192.0.2.7")))
        .contains(" with SMTP\r\n");
    assertThat(received(transaction(body, "app.test", true, false, Map.of(), "192.0.2.7")))
        .contains(" with ESMTP\r\n");
    assertThat(received(transaction(body, "app.test", true, false, utf8, "192.0.2.7")))
        .contains(" with UTF8SMTP\r\n");
    assertThat(received(transaction(body, "app.test", true, true, utf8, "192.0.2.7")))
        .contains(" with UTF8SMTPSA\r\n");
  }

  @Test
  void aHeloNameThatIsNotADomainStaysInsideTheComment() {
    String body = "Subject: hi\r\n\r\nbody\r\n";
    assertThat(received(transaction(body, "app.example", true, false, Map.of(), "192.0.2.7")))
        .startsWith("Received: from app.example ([192.0.2.7])\r\n");
    assertThat(received(transaction(body, "[192.0.2.7]", true, false, Map.of(), "192.0.2.7")))
        .startsWith("Received: from [192.0.2.7] ([192.0.2.7])\r\n");
    assertThat(received(transaction(body, "evil(", true, false, Map.of(), "192.0.2.7")))
        .startsWith("Received: from unknown (evil\\( [192.0.2.7])\r\n");
    assertThat(received(transaction(body, "a)b\\", true, false, Map.of(), "192.0.2.7")))
        .startsWith("Received: from unknown (a\\)b\\\\ [192.0.2.7])\r\n");
  }

  @Test
  void anIpv6ClientIsAnIpv6AddressLiteral() {
    String body = "Subject: hi\r\n\r\nbody\r\n";
    assertThat(received(transaction(body, "app.example", true, false, Map.of(), "2001:db8::1")))
        .startsWith("Received: from app.example ([IPv6:2001:db8::1])\r\n");
  }

  @Test
  void addsReceivedMessageIdAndDateWhenMissing() {
    Transaction t = transaction("Subject: hi\r\n\r\nbody\r\n", true);
    String out =
        new String(TraceHeaders.apply(t.body(), t, "mx.test", NOW, true), StandardCharsets.UTF_8);
    assertThat(out)
        .startsWith(
            "Received: from unknown (app??Injected: x [192.0.2.7])\r\n\tby mx.test (Sluice) with ESMTPSA\r\n\t(TLSv1.3 TLS_AES_128_GCM_SHA256)\r\n\tfor <b@example.net>; Mon, 23 Nov 2026 10:15:30 +0000\r\n")
        .containsPattern("\r\nMessage-ID: <[0-9a-z.]+@mx.test>\r\n")
        .contains("\r\nDate: Mon, 23 Nov 2026 10:15:30 +0000\r\n")
        .endsWith("Subject: hi\r\n\r\nbody\r\n");
  }

  @Test
  void keepsTheMessagesOwnMessageIdAndDateAndLooksOnlyAtHeaders() {
    Transaction t =
        transaction(
            "Message-Id: <x@y>\r\nDATE: Sun, 1 Nov 2026 00:00:00 +0000\r\n\r\nDate: in the body\r\n",
            false);
    String out =
        new String(TraceHeaders.apply(t.body(), t, "mx.test", NOW, true), StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("Message-ID: <").contains("with ESMTP\r\n\tfor");
    assertThat(out.split("Date: ", -1)).hasSize(2);
    Transaction noHeaders = transaction("\r\nbody only\r\n", false);
    assertThat(
            new String(
                TraceHeaders.apply(noHeaders.body(), noHeaders, "mx.test", NOW, true),
                StandardCharsets.UTF_8))
        .contains("Message-ID: <", "Date: ");
  }
}
