package dev.sluice.relay.smtp.out;

import dev.sluice.relay.spool.SpoolRecipient;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One transaction to send: the envelope for this host and the message text as spooled (CRLF line
 * endings, not dot-stuffed; the client stuffs and normalises it on the wire).
 *
 * @param sender the reverse-path without brackets; empty for the null sender
 * @param recipients the recipients of this transaction, at least one
 * @param body the message text; read from its position, never modified
 * @param envid the RFC 3461 ENVID to pass on, or null
 * @param ret the RFC 3461 RET to pass on ({@code FULL} or {@code HDRS}), or null
 */
public record OutboundMessage(
    String sender, List<SpoolRecipient> recipients, ByteBuffer body, String envid, String ret) {
  public OutboundMessage {
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs at least one recipient");
    }
    body = body.asReadOnlyBuffer();
  }
}
