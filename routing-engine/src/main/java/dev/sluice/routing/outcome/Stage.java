package dev.sluice.routing.outcome;

/**
 * Where in an outbound SMTP session a reply came or a fault struck, in session order. The same
 * reply means different things at different stages: a 452 to RCPT concerns one recipient, a 452 to
 * MAIL the whole transaction.
 */
public enum Stage {
  /** Resolving the recipient domain's MX or the relay's address. */
  DNS,
  /** Opening the TCP connection. */
  CONNECT,
  /** Waiting for the 220 greeting. */
  GREETING,
  /** EHLO (or HELO). */
  EHLO,
  /** STARTTLS and the TLS handshake (or the handshake of implicit TLS). */
  TLS,
  /** AUTH to an upstream relay. */
  AUTH,
  /** MAIL FROM. */
  MAIL,
  /** RCPT TO, for one recipient. */
  RCPT,
  /** DATA, before the 354 and while the message text is sent. */
  DATA,
  /** After the final dot: the reply that decides the message. */
  DATA_END;

  /** Whether a fault at this stage leaves the outcome unknown: the server may have the message. */
  public boolean afterFinalDot() {
    return this == DATA_END;
  }
}
