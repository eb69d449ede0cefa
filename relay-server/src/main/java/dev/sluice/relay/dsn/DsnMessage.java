package dev.sluice.relay.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Writes delivery status notifications: {@code multipart/report; report-type=delivery-status} (RFC
 * 3464, RFC 6522) with a human-readable part, a {@code message/delivery-status} part and the
 * original message or its headers.
 *
 * <p>Every value that came from outside (addresses, the remote reply, ids) is cleaned of line
 * breaks and control characters and folded, so nothing can inject a header field or a MIME part.
 * The DSN carries {@code Auto-Submitted: auto-replied} (RFC 3834 §5) and must be sent with the null
 * reverse path (RFC 3461 §6.2, RFC 5321 §4.5.5), which is what keeps bounces from looping.
 *
 * <p>The body of a DSN is always 7-bit, so that a host without 8BITMIME takes it (a DSN has the
 * null sender: refused, it would be lost). Non-ASCII addresses: the delivery-status part uses the
 * {@code utf-8} address type with {@code \x{HEX}} escapes (RFC 6533 §3); the human-readable part is
 * UTF-8, quoted-printable when it is not ASCII; the original part is chosen and encoded by {@link
 * OriginalPart}. The {@code To:} field carries the sender's address as is (RFC 6532), so a DSN to a
 * non-ASCII sender needs SMTPUTF8 to be delivered. Stateless and thread-safe.
 */
public final class DsnMessage {
  private DsnMessage() {}

  /**
   * The whole DSN message, CRLF line endings, ready to spool with the null sender.
   *
   * @param now the time of the report: the {@code Date:} field, and the zone of every date in it
   * @param messageId the {@code Message-ID}, with or without angle brackets
   */
  public static byte[] build(DsnReport report, ZonedDateTime now, String messageId) {
    OriginalPart original = OriginalPart.of(report);
    String plain = NotificationText.write(report, original);
    boolean textEightBit = !DsnAddress.isAscii(plain);
    byte[] text = plain.getBytes(StandardCharsets.UTF_8);
    if (textEightBit) {
      text = QuotedPrintable.encode(text);
    }
    byte[] status =
        DeliveryStatusFields.write(report, now.getZone()).getBytes(StandardCharsets.US_ASCII);
    byte[] returned = original.encoded();
    String boundary = Boundary.choose(report, now, List.of(text, status, returned));

    ByteArrayOutputStream out =
        new ByteArrayOutputStream(text.length + status.length + returned.length + 2048);
    StringBuilder head = new StringBuilder();
    head.append(
        HeaderText.field(
            "From", "Mail Delivery System <" + HeaderText.token(report.postmaster()) + ">"));
    head.append(HeaderText.field("To", "<" + HeaderText.token(report.recipient()) + ">"));
    head.append(HeaderText.field("Subject", NotificationText.Kind.of(report.recipients()).subject));
    head.append(HeaderText.field("Date", DsnDates.format(now)));
    head.append(HeaderText.field("Message-ID", angle(HeaderText.token(messageId))));
    head.append(HeaderText.field("MIME-Version", "1.0"));
    head.append(HeaderText.field("Auto-Submitted", "auto-replied"));
    head.append("Content-Type: multipart/report; report-type=delivery-status;\r\n")
        .append("\tboundary=\"")
        .append(boundary)
        .append("\"\r\n");
    head.append(HeaderText.field("Content-Transfer-Encoding", "7bit"));
    head.append("\r\nThis is a MIME-encapsulated message.\r\n\r\n");
    write(out, head);

    write(out, new StringBuilder("--").append(boundary).append("\r\n"));
    write(
        out,
        new StringBuilder("Content-Description: Notification\r\n")
            .append("Content-Type: text/plain; charset=utf-8\r\n")
            .append(
                HeaderText.field(
                    "Content-Transfer-Encoding", textEightBit ? "quoted-printable" : "7bit"))
            .append("\r\n"));
    out.writeBytes(text);

    write(out, new StringBuilder("\r\n--").append(boundary).append("\r\n"));
    write(
        out,
        new StringBuilder("Content-Description: Delivery report\r\n")
            .append("Content-Type: message/delivery-status\r\n\r\n"));
    out.writeBytes(status);

    write(out, new StringBuilder("\r\n--").append(boundary).append("\r\n"));
    write(
        out,
        new StringBuilder(HeaderText.field("Content-Description", original.description()))
            .append(HeaderText.field("Content-Type", original.contentType()))
            .append(HeaderText.field("Content-Transfer-Encoding", original.transferEncoding()))
            .append("\r\n"));
    out.writeBytes(returned);
    write(out, new StringBuilder("\r\n--").append(boundary).append("--\r\n"));
    return out.toByteArray();
  }

  /**
   * Whether a recipient with this NOTIFY parameter (RFC 3461 §4.1) gets a DSN for this action:
   * FAILED needs FAILURE, DELAYED needs DELAY, and DELIVERED, RELAYED and EXPANDED need SUCCESS;
   * NEVER gets none.
   *
   * <p>Without NOTIFY (null or empty), Sluice behaves as {@code NOTIFY=FAILURE,DELAY}, the second
   * default §4.1 allows: the sender hears about failures and about delays. How often a delay notice
   * is sent for one message is the scheduler's choice, not this method's.
   */
  public static boolean wanted(String notify, RecipientStatus.Action action) {
    String value = notify == null || notify.isBlank() ? "FAILURE,DELAY" : notify;
    String needed =
        switch (action) {
          case FAILED -> "FAILURE";
          case DELAYED -> "DELAY";
          case DELIVERED, RELAYED, EXPANDED -> "SUCCESS";
        };
    for (String keyword : value.split(",")) {
      if (keyword.trim().toUpperCase(Locale.ROOT).equals(needed)) {
        return true;
      }
    }
    return false;
  }

  private static String angle(String id) {
    return id.startsWith("<") ? id : "<" + id + ">";
  }

  private static void write(ByteArrayOutputStream out, CharSequence text) {
    out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
