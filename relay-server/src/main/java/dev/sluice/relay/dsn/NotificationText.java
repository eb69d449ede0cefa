package dev.sluice.relay.dsn;

import dev.sluice.relay.dsn.RecipientStatus.Action;
import java.util.List;

/**
 * The first, human-readable part of a DSN (RFC 3464 §2.1): what happened, recipient by recipient.
 */
final class NotificationText {
  private static final String INDENT = "    ";

  private NotificationText() {}

  /** The kind of report, from the gravest action it carries. */
  enum Kind {
    FAILURE("Undelivered Mail Returned to Sender"),
    DELAY("Delayed Mail (still being retried)"),
    SUCCESS("Successful Mail Delivery Report");

    final String subject;

    Kind(String subject) {
      this.subject = subject;
    }

    static Kind of(List<RecipientStatus> recipients) {
      if (recipients.stream().anyMatch(r -> r.action() == Action.FAILED)) {
        return FAILURE;
      }
      if (recipients.stream().anyMatch(r -> r.action() == Action.DELAYED)) {
        return DELAY;
      }
      return SUCCESS;
    }
  }

  static String write(DsnReport report, OriginalPart original) {
    StringBuilder out = new StringBuilder();
    line(out, "This is the mail system at host " + HeaderText.token(report.reportingMta()) + ".");
    line(out, "");
    String intro =
        switch (Kind.of(report.recipients())) {
          case FAILURE ->
              "Your message could not be delivered to one or more recipients. It"
                  + " will not be retried for them.";
          case DELAY ->
              "Your message has not been delivered yet to one or more recipients."
                  + " The mail system keeps trying and will tell you if it gives up; you do not"
                  + " need to send the message again.";
          case SUCCESS ->
              "Your message was delivered to the recipients below; you asked to be" + " told.";
        };
    paragraph(out, intro);
    paragraph(
        out,
        (original.full() ? "The message is attached" : "The headers of the message are attached")
            + " after the delivery report.");
    for (RecipientStatus r : report.recipients()) {
      line(
          out,
          "<"
              + HeaderText.token(r.recipient())
              + ">: "
              + describe(r.action())
              + " (status "
              + r.status()
              + ")");
      if (r.diagnostic() != null) {
        String who = r.remoteMta() == null ? "" : HeaderText.token(r.remoteMta()) + " said: ";
        for (String l :
            HeaderText.wrap(INDENT, who + HeaderText.clean(r.diagnostic()), 76, INDENT)) {
          line(out, l);
        }
      }
      line(out, "");
    }
    return out.toString();
  }

  private static String describe(Action action) {
    return switch (action) {
      case FAILED -> "delivery failed";
      case DELAYED -> "delivery delayed, still trying";
      case DELIVERED -> "delivered";
      case RELAYED -> "relayed to a server that does not send delivery reports";
      case EXPANDED -> "delivered to a list or alias, which expanded it";
    };
  }

  private static void paragraph(StringBuilder out, String text) {
    for (String l : HeaderText.wrap("", text, 72, "")) {
      line(out, l);
    }
    line(out, "");
  }

  private static void line(StringBuilder out, String text) {
    out.append(text).append("\r\n");
  }
}
