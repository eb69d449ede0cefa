package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.smtp.in.Xtext;
import dev.sluice.relay.spool.SpoolRecipient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands of one transaction, decided before anything is written: the MAIL line with the
 * parameters the server understands, one RCPT line per recipient, and the client's own refusals (a
 * message the server cannot take, an address that cannot be written safely). Pure.
 *
 * @param mail the MAIL command line without CRLF, or null when {@code refusal} is set
 * @param refusal the client's reply for every recipient at {@link
 *     dev.sluice.routing.outcome.Stage#MAIL}, when nothing must be sent
 * @param recipients one step per recipient, in order
 */
record TransactionPlan(String mail, SmtpReply refusal, List<Step> recipients) {
  /**
   * One recipient: either the RCPT command line or the client's refusal at RCPT.
   *
   * @param command the RCPT command line without CRLF, or null when refused
   * @param refusal the client's reply, or null when sent
   */
  record Step(SpoolRecipient recipient, String command, SmtpReply refusal) {}

  TransactionPlan {
    recipients = List.copyOf(recipients);
  }

  Optional<SmtpReply> refused() {
    return Optional.ofNullable(refusal);
  }

  /** Whether at least one RCPT will be sent. */
  boolean sendsAnyRecipient() {
    return refusal == null && recipients.stream().anyMatch(s -> s.command() != null);
  }

  static TransactionPlan of(OutboundMessage message, EhloCapabilities caps, String hostName) {
    List<Step> steps = new ArrayList<>();
    boolean nonAscii = !Addresses.isAscii(message.sender());
    for (SpoolRecipient r : message.recipients()) {
      steps.add(step(r, caps));
      nonAscii |= !Addresses.isAscii(r.address());
    }
    if (!Addresses.isSafe(message.sender())) {
      return refuseAll(SmtpReply.of(501, "5.1.7", "Bad sender address syntax; not sent"), message);
    }
    if (nonAscii && !caps.smtpUtf8()) {
      return refuseAll(
          SmtpReply.of(
              550, "5.6.7", "SMTPUTF8 required but not supported by " + printable(hostName)),
          message);
    }
    long size = message.body().remaining();
    if (caps.size().isPresent() && size > caps.size().getAsLong()) {
      return refuseAll(
          SmtpReply.of(
              552,
              "5.3.4",
              "Message size exceeds fixed maximum message size of "
                  + printable(hostName)
                  + " ("
                  + caps.size().getAsLong()
                  + " bytes)"),
          message);
    }
    BodyTraits traits = BodyTraits.of(message.body());
    if (traits.eightBit() && !caps.eightBitMime()) {
      // RFC 6152 §3: convert to 7 bit or return it; Sluice does not rewrite message text (that
      // would also break DKIM signatures made upstream).
      return refuseAll(
          SmtpReply.of(
              554,
              "5.6.3",
              "8-bit message text, but " + printable(hostName) + " does not offer 8BITMIME"),
          message);
    }
    StringBuilder mail = new StringBuilder("MAIL FROM:<").append(message.sender()).append('>');
    if (caps.offers("SIZE")) {
      mail.append(" SIZE=").append(size); // RFC 1870 §6
    }
    if (traits.eightBit() && caps.eightBitMime()) {
      mail.append(" BODY=8BITMIME"); // RFC 6152 §3
    }
    if ((nonAscii || traits.eightBitHeaders()) && caps.smtpUtf8()) {
      mail.append(" SMTPUTF8"); // RFC 6531 §3.4
    }
    if (caps.dsn()) {
      if (message.ret() != null && DsnParameters.isValidRet(message.ret())) {
        mail.append(" RET=").append(message.ret().toUpperCase(Locale.ROOT));
      }
      if (message.envid() != null) {
        if (Addresses.hasControl(message.envid())) {
          return refuseAll(
              SmtpReply.of(501, "5.5.4", "ENVID holds control characters; not sent"), message);
        }
        mail.append(" ENVID=").append(Xtext.encode(message.envid()));
      }
    }
    return new TransactionPlan(mail.toString(), null, steps);
  }

  private static Step step(SpoolRecipient r, EhloCapabilities caps) {
    if (!Addresses.isSafe(r.address())) {
      return new Step(
          r, null, SmtpReply.of(501, "5.1.3", "Bad recipient address syntax; not sent"));
    }
    StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
    if (caps.dsn()) {
      if (r.dsnNotify() != null && Xtext.isValidNotify(r.dsnNotify())) {
        rcpt.append(" NOTIFY=").append(r.dsnNotify().toUpperCase(Locale.ROOT));
      }
      if (r.orcpt() != null) {
        if (Addresses.hasControl(r.orcpt())) {
          return new Step(
              r, null, SmtpReply.of(501, "5.5.4", "ORCPT holds control characters; not sent"));
        }
        rcpt.append(" ORCPT=").append(DsnParameters.encodeOrcpt(r.orcpt()));
      }
    }
    return new Step(r, rcpt.toString(), null);
  }

  private static TransactionPlan refuseAll(SmtpReply reply, OutboundMessage message) {
    List<Step> steps = new ArrayList<>();
    for (SpoolRecipient r : message.recipients()) {
      steps.add(new Step(r, null, reply));
    }
    return new TransactionPlan(null, reply, steps);
  }

  private static String printable(String host) {
    return ReplyParser.printable(host);
  }
}
