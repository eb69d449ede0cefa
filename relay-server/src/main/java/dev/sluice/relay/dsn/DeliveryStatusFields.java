package dev.sluice.relay.dsn;

import java.net.IDN;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * The body of the {@code message/delivery-status} part (RFC 3464 §2.2, §2.3): the per-message
 * fields, then one block of per-recipient fields for each recipient. All of it is US-ASCII.
 */
final class DeliveryStatusFields {
  private static final Pattern SMTP_REPLY = Pattern.compile("[2-5][0-9][0-9]([ -].*)?");

  private DeliveryStatusFields() {}

  static String write(DsnReport report, ZoneId zone) {
    StringBuilder out = new StringBuilder();
    out.append(HeaderText.field("Reporting-MTA", "dns; " + host(report.reportingMta())));
    // RFC 3464 §2.4: extension fields start with X-.
    out.append(HeaderText.field("X-Sluice-Queue-ID", HeaderText.ascii(report.queueId())));
    if (report.envid() != null) {
      out.append(HeaderText.field("Original-Envelope-Id", HeaderText.ascii(report.envid())));
    }
    out.append(HeaderText.field("Arrival-Date", DsnDates.format(report.arrival(), zone)));
    for (RecipientStatus r : report.recipients()) {
      out.append("\r\n");
      if (r.orcpt() != null) {
        out.append(HeaderText.field("Original-Recipient", DsnAddress.originalRecipient(r.orcpt())));
      }
      out.append(HeaderText.field("Final-Recipient", DsnAddress.finalRecipient(r.recipient())));
      out.append(HeaderText.field("Action", r.action().fieldValue()));
      out.append(HeaderText.field("Status", r.status()));
      if (r.remoteMta() != null) {
        out.append(HeaderText.field("Remote-MTA", "dns; " + host(r.remoteMta())));
      }
      if (r.diagnostic() != null) {
        out.append(HeaderText.field("Diagnostic-Code", diagnostic(r.diagnostic())));
      }
      if (r.lastAttempt() != null) {
        out.append(HeaderText.field("Last-Attempt-Date", DsnDates.format(r.lastAttempt(), zone)));
      }
    }
    return out.toString();
  }

  /**
   * RFC 3464 §2.3.6: {@code smtp; <reply>} when the text is an SMTP reply; otherwise (a connection
   * that failed, a local decision) {@code X-Sluice; <text>}, as Postfix writes {@code X-Postfix;}.
   */
  static String diagnostic(String text) {
    String value = HeaderText.ascii(text);
    return (SMTP_REPLY.matcher(value).matches() ? "smtp; " : "X-Sluice; ") + value;
  }

  /** A host name as DNS spells it: A-labels for internationalised names. */
  static String host(String name) {
    String token = HeaderText.token(name);
    try {
      return HeaderText.ascii(IDN.toASCII(token, IDN.ALLOW_UNASSIGNED));
    } catch (IllegalArgumentException notAHostName) {
      return HeaderText.ascii(token);
    }
  }
}
