package dev.sluice.routing.outcome;

/** What an attempt's result means for one recipient. */
public enum Disposition {
  /** The server took responsibility for the recipient: done. */
  DELIVERED,
  /**
   * This host cannot take the message now (connection fault, TLS failure, 421, a transient reply to
   * the whole transaction): try the next MX host, then the next member, then the fallback pools,
   * and only then the retry queue.
   */
  NEXT_HOST,
  /** The recipient is deferred: it waits in the retry queue; other recipients are not affected. */
  DEFER,
  /**
   * The server had too many recipients for one transaction (452 4.5.3): send this one again in a
   * new transaction now.
   */
  SPLIT,
  /** Permanent failure: the recipient bounces (DSN to the sender) and is not retried. */
  BOUNCE
}
