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
    ClientInfo client =
        new ClientInfo(
            "192.0.2.7",
            "app\r\nInjected: x",
            tls ? Optional.of("TLSv1.3 TLS_AES_128_GCM_SHA256") : Optional.empty(),
            tls ? Optional.of("acme-app") : Optional.empty(),
            Optional.empty(),
            false);
    return new Transaction(
        "a@acme.example",
        Map.of(),
        List.of(new Transaction.Recipient("b@example.net", Map.of())),
        body.getBytes(StandardCharsets.UTF_8),
        client);
  }

  @Test
  void addsReceivedMessageIdAndDateWhenMissing() {
    Transaction t = transaction("Subject: hi\r\n\r\nbody\r\n", true);
    String out =
        new String(TraceHeaders.apply(t.body(), t, "mx.test", NOW, true), StandardCharsets.UTF_8);
    assertThat(out)
        .startsWith(
            "Received: from app??Injected: x ([192.0.2.7])\r\n\tby mx.test (Sluice) with ESMTPSA\r\n\t(TLSv1.3 TLS_AES_128_GCM_SHA256)\r\n\tfor <b@example.net>; Mon, 23 Nov 2026 10:15:30 +0000\r\n")
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
