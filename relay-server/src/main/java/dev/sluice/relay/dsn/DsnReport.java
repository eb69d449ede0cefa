package dev.sluice.relay.dsn;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to write one DSN.
 *
 * @param reportingMta our host name, as the {@code Reporting-MTA} field names it
 * @param postmaster the {@code From:} address, e.g. {@code MAILER-DAEMON@mail.example.com}
 * @param recipient who gets the DSN: the original envelope sender (never empty; a message with the
 *     null sender gets no DSN)
 * @param queueId our queue id of the original message
 * @param envid the ENVID parameter as received (xtext-decoded), or null
 * @param ret the RET parameter, {@code "FULL"} or {@code "HDRS"}, or null when absent
 * @param arrival when the original message was received
 * @param recipients the recipients this DSN reports on, at least one
 * @param original the original message text (CRLF line endings); stored read-only
 */
public record DsnReport(
    String reportingMta,
    String postmaster,
    String recipient,
    String queueId,
    String envid,
    String ret,
    Instant arrival,
    List<RecipientStatus> recipients,
    ByteBuffer original) {

  public DsnReport {
    requireText(reportingMta, "reportingMta");
    requireText(postmaster, "postmaster");
    requireText(recipient, "recipient");
    requireText(queueId, "queueId");
    Objects.requireNonNull(arrival, "arrival");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a DSN reports on at least one recipient");
    }
    if (ret != null && !ret.equalsIgnoreCase("FULL") && !ret.equalsIgnoreCase("HDRS")) {
      throw new IllegalArgumentException("RET must be FULL or HDRS: " + ret);
    }
    original = Objects.requireNonNull(original, "original").asReadOnlyBuffer();
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
