package dev.sluice.relay.smtp.in;

/** What a listener is for; it decides TLS and authentication requirements. */
public enum ListenerMode {
  /** Port 25 or any port for trusted networks: relaying needs a listed network or AUTH. */
  RELAY,
  /** Port 587: STARTTLS offered, AUTH required and only accepted after TLS. */
  SUBMISSION,
  /** Port 465: TLS from the first byte, AUTH required. */
  SUBMISSIONS
}
