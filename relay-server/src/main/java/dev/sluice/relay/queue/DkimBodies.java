package dev.sluice.relay.queue;

import dev.sluice.relay.dkim.DkimSigner;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.routing.config.RouteAction.DkimPolicy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Signs what a rule asks to be signed: with the key of the From header's domain (what DMARC aligns
 * with), else of the envelope sender's domain. {@code dkim: optional} signs when a key exists;
 * {@code required} without a key defers the message with a reply that says which domain lacks one;
 * {@code off} sends the text as it is. Thread-safe.
 */
public final class DkimBodies implements BodyPreparer {
  private final DkimSigner signer;
  private final Clock clock;

  public DkimBodies(DkimSigner signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public Prepared prepare(SpoolEntry entry, ByteBuffer body, DkimPolicy dkim) {
    if (dkim == DkimPolicy.OFF) {
      return new Ready(body);
    }
    String fromDomain =
        MessageHeaders.read(body, Map.of()).first("From").map(DkimBodies::domainOf).orElse("");
    String senderDomain = domainOf(entry.envelope().sender());
    String domain = signer.hasKey(fromDomain) ? fromDomain : senderDomain;
    Optional<byte[]> signature = signer.sign(domain, body.duplicate(), clock.instant());
    if (signature.isPresent()) {
      byte[] sig = signature.get();
      ByteBuffer signed = ByteBuffer.allocate(sig.length + body.remaining());
      signed.put(sig).put(body.duplicate()).flip();
      return new Ready(signed);
    }
    if (dkim == DkimPolicy.REQUIRED) {
      String which =
          fromDomain.isEmpty() || fromDomain.equals(senderDomain)
              ? senderDomain
              : fromDomain + " or " + senderDomain;
      return new Refused(
          SmtpReply.of(
              451,
              "4.7.0",
              "DKIM signature required by the rule, but sluice.yaml has no dkim key for "
                  + (which.isEmpty() ? "the null sender" : which)));
    }
    return new Ready(body);
  }

  /** The domain of the last address in a header value or path, lower-case; empty if none. */
  static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    if (at < 0) {
      return "";
    }
    int end = at + 1;
    while (end < address.length() && "> \t,;)\"".indexOf(address.charAt(end)) < 0) {
      end++;
    }
    return address.substring(at + 1, end).toLowerCase(Locale.ROOT);
  }
}
