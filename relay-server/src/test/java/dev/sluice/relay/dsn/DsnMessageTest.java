package dev.sluice.relay.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.dsn.RecipientStatus.Action;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DSNs as Jakarta Mail (Angus), a MIME parser we did not write, reads them. */
class DsnMessageTest {
  static final ZonedDateTime NOW = ZonedDateTime.of(2025, 6, 3, 11, 5, 30, 0, ZoneOffset.UTC);
  static final Instant ARRIVAL = NOW.toInstant().minusSeconds(600);
  static final String ORIGINAL_HEADERS =
      "From: Alice <alice@shop.example>\r\n"
          + "To: bob@example.org\r\n"
          + "Subject: Your order\r\n"
          + "Message-ID: <order-1@shop.example>\r\n";
  static final String ORIGINAL = ORIGINAL_HEADERS + "\r\nThanks for your order.\r\n";

  static RecipientStatus failed(String rcpt, String diagnostic) {
    return new RecipientStatus(
        rcpt, null, Action.FAILED, "5.1.1", "mx.example.org", diagnostic, NOW.toInstant());
  }

  static DsnReport report(String ret, String original, RecipientStatus... recipients) {
    return new DsnReport(
        "mail.sluice.example",
        "MAILER-DAEMON@mail.sluice.example",
        "alice@shop.example",
        "Q1ABC",
        null,
        ret,
        ARRIVAL,
        List.of(recipients),
        ByteBuffer.wrap(original.getBytes(StandardCharsets.UTF_8)));
  }

  static MimeMessage parse(byte[] dsn) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn));
  }

  static MimeMultipart parts(MimeMessage message) throws Exception {
    return (MimeMultipart) message.getContent();
  }

  /** The blocks of a message/delivery-status part: per-message fields, then one per recipient. */
  static List<InternetHeaders> statusBlocks(BodyPart part) throws Exception {
    assertThat(new ContentType(part.getContentType()).getBaseType())
        .isEqualTo("message/delivery-status");
    List<InternetHeaders> blocks = new ArrayList<>();
    try (InputStream in = part.getInputStream()) {
      while (true) {
        InternetHeaders block = new InternetHeaders(in);
        if (!block.getAllHeaderLines().hasMoreElements()) {
          return blocks;
        }
        blocks.add(block);
      }
    }
  }

  static String bytesOf(BodyPart part) throws Exception {
    try (InputStream in = part.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void failureReportIsAMultipartReportWithTheFieldsOfRfc3464() throws Exception {
    RecipientStatus bob = failed("bob@example.org", "550 5.1.1 <bob@example.org>: no such user");
    RecipientStatus carol =
        new RecipientStatus(
            "carol@example.org",
            "rfc822;Carol@Example.org",
            Action.FAILED,
            "5.2.2",
            "mx2.example.org",
            "552 5.2.2 mailbox full",
            null);
    DsnReport report =
        new DsnReport(
            "mail.sluice.example",
            "MAILER-DAEMON@mail.sluice.example",
            "alice@shop.example",
            "Q1ABC",
            "order-1",
            null,
            ARRIVAL,
            List.of(bob, carol),
            ByteBuffer.wrap(ORIGINAL.getBytes(StandardCharsets.UTF_8)));

    MimeMessage dsn = parse(DsnMessage.build(report, NOW, "dsn-1@mail.sluice.example"));

    assertThat(dsn.getHeader("From", null))
        .isEqualTo("Mail Delivery System <MAILER-DAEMON@mail.sluice.example>");
    assertThat(dsn.getHeader("To", null)).isEqualTo("<alice@shop.example>");
    assertThat(dsn.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
    assertThat(dsn.getHeader("Date", null)).isEqualTo("Tue, 3 Jun 2025 11:05:30 +0000");
    assertThat(dsn.getSentDate()).isEqualTo(java.util.Date.from(NOW.toInstant()));
    assertThat(dsn.getMessageID()).isEqualTo("<dsn-1@mail.sluice.example>");
    assertThat(dsn.getHeader("MIME-Version", null)).isEqualTo("1.0");
    assertThat(dsn.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
    ContentType type = new ContentType(dsn.getContentType());
    assertThat(type.getBaseType()).isEqualTo("multipart/report");
    assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");

    MimeMultipart parts = parts(dsn);
    assertThat(parts.getCount()).isEqualTo(3);
    BodyPart text = parts.getBodyPart(0);
    assertThat(new ContentType(text.getContentType()).getBaseType()).isEqualTo("text/plain");
    assertThat((String) text.getContent())
        .contains("<bob@example.org>: delivery failed (status 5.1.1)")
        .contains("mx.example.org said: 550 5.1.1 <bob@example.org>: no such user")
        .contains("<carol@example.org>: delivery failed (status 5.2.2)")
        .contains("mx2.example.org said: 552 5.2.2 mailbox full");

    List<InternetHeaders> blocks = statusBlocks(parts.getBodyPart(1));
    assertThat(blocks).hasSize(3);
    InternetHeaders perMessage = blocks.get(0);
    assertThat(perMessage.getHeader("Reporting-MTA", null)).isEqualTo("dns; mail.sluice.example");
    assertThat(perMessage.getHeader("Original-Envelope-Id", null)).isEqualTo("order-1");
    assertThat(perMessage.getHeader("Arrival-Date", null))
        .isEqualTo("Tue, 3 Jun 2025 10:55:30 +0000");
    assertThat(perMessage.getHeader("X-Sluice-Queue-ID", null)).isEqualTo("Q1ABC");
    InternetHeaders first = blocks.get(1);
    assertThat(first.getHeader("Original-Recipient")).isNull();
    assertThat(first.getHeader("Final-Recipient", null)).isEqualTo("rfc822; bob@example.org");
    assertThat(first.getHeader("Action", null)).isEqualTo("failed");
    assertThat(first.getHeader("Status", null)).isEqualTo("5.1.1");
    assertThat(first.getHeader("Remote-MTA", null)).isEqualTo("dns; mx.example.org");
    assertThat(first.getHeader("Diagnostic-Code", null))
        .isEqualTo("smtp; 550 5.1.1 <bob@example.org>: no such user");
    assertThat(first.getHeader("Last-Attempt-Date", null))
        .isEqualTo("Tue, 3 Jun 2025 11:05:30 +0000");
    InternetHeaders second = blocks.get(2);
    assertThat(second.getHeader("Original-Recipient", null)).isEqualTo("rfc822; Carol@Example.org");
    assertThat(second.getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@example.org");
    assertThat(second.getHeader("Remote-MTA", null)).isEqualTo("dns; mx2.example.org");
    assertThat(second.getHeader("Last-Attempt-Date")).isNull();

    BodyPart original = parts.getBodyPart(2);
    assertThat(new ContentType(original.getContentType()).getBaseType())
        .isEqualTo("message/rfc822");
    MimeMessage returned = (MimeMessage) original.getContent();
    assertThat(returned.getSubject()).isEqualTo("Your order");
    assertThat(((String) returned.getContent())).isEqualTo("Thanks for your order.\r\n");
  }

  @Test
  void retHdrsReturnsOnlyTheHeaderBlockAsTextRfc822Headers() throws Exception {
    MimeMultipart parts =
        parts(
            parse(
                DsnMessage.build(
                    report("HDRS", ORIGINAL, failed("bob@example.org", null)), NOW, "d@x")));

    BodyPart original = parts.getBodyPart(2);
    assertThat(new ContentType(original.getContentType()).getBaseType())
        .isEqualTo("text/rfc822-headers");
    assertThat(bytesOf(original)).isEqualTo(ORIGINAL_HEADERS);
  }

  @Test
  void evenWithRetFullALargeMessageIsReturnedAsItsHeaders() throws Exception {
    String large = ORIGINAL_HEADERS + "\r\n" + "x".repeat(76).concat("\r\n").repeat(5000);
    assertThat(large.length()).isGreaterThan(OriginalPart.FULL_LIMIT);

    MimeMultipart parts =
        parts(
            parse(
                DsnMessage.build(
                    report("FULL", large, failed("bob@example.org", null)), NOW, "d@x")));

    BodyPart original = parts.getBodyPart(2);
    assertThat(new ContentType(original.getContentType()).getBaseType())
        .isEqualTo("text/rfc822-headers");
    assertThat(bytesOf(original)).isEqualTo(ORIGINAL_HEADERS);
  }

  @Test
  void anEightBitBodyIsReturnedAsItsHeadersEvenWithRetFullSoTheDsnStays7Bit() throws Exception {
    String original = ORIGINAL_HEADERS + "\r\nGr\u00fc\u00dfe aus M\u00fcnchen\r\n";

    byte[] dsn =
        DsnMessage.build(report("FULL", original, failed("bob@example.org", null)), NOW, "d@x");

    assertThat(new String(dsn, StandardCharsets.ISO_8859_1)).as("7-bit").matches("\\p{ASCII}*");
    MimeMultipart parts = parts(parse(dsn));
    assertThat(new ContentType(parts.getBodyPart(2).getContentType()).getBaseType())
        .isEqualTo("text/rfc822-headers");
    assertThat(bytesOf(parts.getBodyPart(2))).isEqualTo(ORIGINAL_HEADERS);
    assertThat((String) parts.getBodyPart(0).getContent())
        .contains("The headers of the message are attached");
  }

  @Test
  void utf8HeadersAreReturnedAsMessageGlobalQuotedPrintable() throws Exception {
    String headers =
        "From: J\u00fcrgen <juergen@example.de>\r\nTo: bob@example.org\r\n"
            + "Subject: Gr\u00fc\u00dfe =?x?= \r\n"
            + "X-Long: "
            + "\u00e4 ".repeat(60)
            + "\r\n";
    String original = headers + "\r\nHallo\r\n";

    byte[] whole =
        DsnMessage.build(report(null, original, failed("bob@example.org", null)), NOW, "d@x");
    byte[] onlyHeaders =
        DsnMessage.build(report("HDRS", original, failed("bob@example.org", null)), NOW, "d@x");

    for (byte[] dsn : List.of(whole, onlyHeaders)) {
      assertThat(new String(dsn, StandardCharsets.ISO_8859_1)).as("7-bit").matches("\\p{ASCII}*");
      assertEveryLineEndsWithCrLfAndFitsIn998(dsn);
    }
    assertThat(new String(whole, StandardCharsets.US_ASCII).split("\r\n"))
        .as("quoted-printable lines")
        .filteredOn(l -> l.contains("=C3"))
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(76));
    BodyPart full = parts(parse(whole)).getBodyPart(2);
    assertThat(new ContentType(full.getContentType()).getBaseType()).isEqualTo("message/global");
    assertThat(full.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
    assertThat(decoded(full)).isEqualTo(original);
    BodyPart part = parts(parse(onlyHeaders)).getBodyPart(2);
    assertThat(new ContentType(part.getContentType()).getBaseType())
        .isEqualTo("message/global-headers");
    assertThat(decoded(part)).isEqualTo(headers);
  }

  /** Jakarta Mail leaves message/* parts encoded (RFC 2046 §5.2.1); RFC 6532 §3.7 allows it. */
  static String decoded(BodyPart part) throws Exception {
    try (InputStream in =
        MimeUtility.decode(((MimeBodyPart) part).getRawInputStream(), "quoted-printable")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void withoutRetASmallMessageIsReturnedWholeAndALargeOneAsHeaders() throws Exception {
    String large = ORIGINAL_HEADERS + "\r\n" + "x".repeat(76).concat("\r\n").repeat(5000);

    MimeMultipart small =
        parts(
            parse(
                DsnMessage.build(
                    report(null, ORIGINAL, failed("bob@example.org", null)), NOW, "d@x")));
    MimeMultipart big =
        parts(
            parse(
                DsnMessage.build(
                    report(null, large, failed("bob@example.org", null)), NOW, "d@x")));

    assertThat(bytesOf(small.getBodyPart(2))).isEqualTo(ORIGINAL);
    assertThat(new ContentType(big.getBodyPart(2).getContentType()).getBaseType())
        .isEqualTo("text/rfc822-headers");
    assertThat(bytesOf(big.getBodyPart(2))).isEqualTo(ORIGINAL_HEADERS);
  }

  @Test
  void delayReportCarriesOnlyTheHeadersEvenWithRetFull() throws Exception {
    RecipientStatus delayed =
        new RecipientStatus(
            "bob@example.org", null, Action.DELAYED, "4.4.7", null, "421 4.7.0 try later", null);

    MimeMessage dsn = parse(DsnMessage.build(report("FULL", ORIGINAL, delayed), NOW, "d@x"));

    assertThat(dsn.getSubject()).isEqualTo("Delayed Mail (still being retried)");
    MimeMultipart parts = parts(dsn);
    assertThat(statusBlocks(parts.getBodyPart(1)).get(1).getHeader("Action", null))
        .isEqualTo("delayed");
    assertThat(statusBlocks(parts.getBodyPart(1)).get(1).getHeader("Remote-MTA")).isNull();
    assertThat(bytesOf(parts.getBodyPart(2))).isEqualTo(ORIGINAL_HEADERS);
  }

  @Test
  void successReportHasTheSuccessSubject() throws Exception {
    RecipientStatus delivered =
        new RecipientStatus(
            "bob@example.org",
            null,
            Action.DELIVERED,
            "2.0.0",
            "mx.example.org",
            "250 2.0.0 Ok: queued as 123",
            NOW.toInstant());

    MimeMessage dsn = parse(DsnMessage.build(report(null, ORIGINAL, delivered), NOW, "d@x"));

    assertThat(dsn.getSubject()).isEqualTo("Successful Mail Delivery Report");
    assertThat(statusBlocks(parts(dsn).getBodyPart(1)).get(1).getHeader("Action", null))
        .isEqualTo("delivered");
  }

  @Test
  void replyWithCrLfCannotInjectAHeaderOrAPart() throws Exception {
    String evil =
        "550 5.1.1 no such user\r\nBcc: victim@example.net\r\n\r\n--Q1ABC\r\n"
            + "Content-Type: text/html\r\n\r\n<b>phish</b>";
    RecipientStatus bob =
        new RecipientStatus(
            "bob@example.org\r\nX-Injected: yes",
            "rfc822;bob@example.org\nX-Injected: orcpt",
            Action.FAILED,
            "5.1.1",
            "mx.example.org\r\nX-Injected: mta",
            evil,
            null);
    DsnReport report =
        new DsnReport(
            "mail.sluice.example",
            "MAILER-DAEMON@mail.sluice.example",
            "alice@shop.example\r\nBcc: victim@example.net",
            "Q1ABC",
            "env\r\nX-Injected: envid",
            null,
            ARRIVAL,
            List.of(bob),
            ByteBuffer.wrap(ORIGINAL.getBytes(StandardCharsets.UTF_8)));

    byte[] bytes = DsnMessage.build(report, NOW, "d@x\r\nBcc: victim@example.net");
    MimeMessage dsn = parse(bytes);

    assertThat(dsn.getHeader("Bcc")).isNull();
    assertThat(dsn.getHeader("To", null))
        .isEqualTo("<alice@shop.example Bcc:victim@example.net>".replace(" ", ""));
    MimeMultipart parts = parts(dsn);
    assertThat(parts.getCount()).isEqualTo(3);
    List<InternetHeaders> blocks = statusBlocks(parts.getBodyPart(1));
    assertThat(blocks).hasSize(2);
    for (InternetHeaders block : blocks) {
      assertThat(block.getHeader("X-Injected")).isNull();
      assertThat(block.getHeader("Bcc")).isNull();
      assertThat(block.getHeader("Content-Type")).isNull();
    }
    assertThat(blocks.get(1).getHeader("Diagnostic-Code", null))
        .startsWith("smtp; 550 5.1.1 no such user Bcc: victim@example.net --Q1ABC");
    assertThat(((String) parts.getBodyPart(0).getContent()).replaceAll("\\r\\n +", " "))
        .contains("no such user Bcc: victim@example.net --Q1ABC Content-Type: text/html");
    assertEveryLineEndsWithCrLfAndFitsIn998(bytes);
  }

  @Test
  void longDiagnosticIsFoldedAndUnfoldsToTheSameText() throws Exception {
    StringBuilder reply = new StringBuilder("550 5.7.1");
    for (int i = 0; reply.length() < 3000; i++) {
      reply.append(" word").append(i);
    }
    reply.append(" ").append("y".repeat(1500));

    byte[] bytes =
        DsnMessage.build(
            report(null, ORIGINAL, failed("bob@example.org", reply.toString())), NOW, "d@x");

    assertEveryLineEndsWithCrLfAndFitsIn998(bytes);
    String status = bytesOf(parts(parse(bytes)).getBodyPart(1));
    String folded = status.substring(status.indexOf("Diagnostic-Code:"));
    folded = folded.substring(0, folded.indexOf("\r\nLast-Attempt-Date"));
    for (String line : folded.split("\r\n")) {
      if (!line.contains("yyy")) {
        assertThat(line.length()).isLessThanOrEqualTo(78);
      }
    }
    String unfolded = folded.replace("\r\n", "");
    assertThat(unfolded).startsWith("Diagnostic-Code: smtp; " + reply.substring(0, 2900));
    assertThat(unfolded.replace(" ", "")).endsWith("y".repeat(1500));
  }

  @Test
  void boundaryNeverOccursInTheContent() throws Exception {
    // The boundary Sluice would choose first, planted in the original message.
    String planted = "Q1ABC." + NOW.toEpochSecond() + "/mail.sluice.example";
    String original =
        ORIGINAL_HEADERS + "\r\n--" + planted + "\r\nnot a part\r\n--" + planted + "--\r\n";

    MimeMessage dsn =
        parse(
            DsnMessage.build(
                report("FULL", original, failed("bob@example.org", null)), NOW, "d@x"));

    String boundary = new ContentType(dsn.getContentType()).getParameter("boundary");
    assertThat(boundary).isNotEqualTo(planted).startsWith(planted);
    MimeMultipart parts = parts(dsn);
    assertThat(parts.getCount()).isEqualTo(3);
    assertThat(bytesOf(parts.getBodyPart(2))).isEqualTo(original);
  }

  @Test
  void nonAsciiAddressesUseTheUtf8AddressTypeAndKeepTheReport7Bit() throws Exception {
    RecipientStatus jorg =
        new RecipientStatus(
            "jörg+news@bücher.example",
            "utf-8;j\\x{F6}rg+news@b\\x{FC}cher.example",
            Action.FAILED,
            "5.1.1",
            "mx.bücher.example",
            "550 5.1.1 unknown",
            null);

    MimeMultipart parts = parts(parse(DsnMessage.build(report(null, ORIGINAL, jorg), NOW, "d@x")));

    BodyPart statusPart = parts.getBodyPart(1);
    String raw = bytesOf(statusPart);
    assertThat(raw.chars().allMatch(c -> c < 0x80)).isTrue();
    InternetHeaders block = statusBlocks(statusPart).get(1);
    assertThat(block.getHeader("Final-Recipient", null))
        .isEqualTo("utf-8; j\\x{F6}rg\\x{2B}news@b\\x{FC}cher.example");
    assertThat(block.getHeader("Original-Recipient", null))
        .isEqualTo("utf-8; j\\x{F6}rg\\x{2B}news@b\\x{FC}cher.example");
    assertThat(block.getHeader("Remote-MTA", null)).isEqualTo("dns; mx.xn--bcher-kva.example");
    assertThat((String) parts.getBodyPart(0).getContent()).contains("<jörg+news@bücher.example>");
    assertThat(parts.getBodyPart(0).getHeader("Content-Transfer-Encoding"))
        .containsExactly("quoted-printable");
  }

  @Test
  void notifyDecidesWhichActionsAreReported() {
    assertThat(DsnMessage.wanted(null, Action.FAILED)).isTrue();
    assertThat(DsnMessage.wanted(null, Action.DELAYED)).isTrue();
    assertThat(DsnMessage.wanted(null, Action.DELIVERED)).isFalse();
    assertThat(DsnMessage.wanted("NEVER", Action.FAILED)).isFalse();
    assertThat(DsnMessage.wanted("NEVER", Action.DELAYED)).isFalse();
    assertThat(DsnMessage.wanted("SUCCESS", Action.DELIVERED)).isTrue();
    assertThat(DsnMessage.wanted("SUCCESS", Action.RELAYED)).isTrue();
    assertThat(DsnMessage.wanted("SUCCESS", Action.EXPANDED)).isTrue();
    assertThat(DsnMessage.wanted("SUCCESS", Action.FAILED)).isFalse();
    assertThat(DsnMessage.wanted("failure", Action.FAILED)).isTrue();
    assertThat(DsnMessage.wanted("failure", Action.DELAYED)).isFalse();
    assertThat(DsnMessage.wanted("SUCCESS,DELAY", Action.DELAYED)).isTrue();
    assertThat(DsnMessage.wanted("SUCCESS,DELAY", Action.FAILED)).isFalse();
  }

  static void assertEveryLineEndsWithCrLfAndFitsIn998(byte[] message) {
    int lineStart = 0;
    for (int i = 0; i < message.length; i++) {
      if (message[i] == '\n') {
        assertThat(i).as("LF at %d follows CR", i).isGreaterThan(0);
        assertThat(message[i - 1]).as("LF at %d follows CR", i).isEqualTo((byte) '\r');
        assertThat(i - 1 - lineStart).as("line at %d", lineStart).isLessThanOrEqualTo(998);
        lineStart = i + 1;
      } else if (message[i] == '\r') {
        assertThat(i + 1 < message.length && message[i + 1] == '\n')
            .as("CR at %d followed by LF", i)
            .isTrue();
      }
    }
    assertThat(lineStart).isEqualTo(message.length);
  }
}
