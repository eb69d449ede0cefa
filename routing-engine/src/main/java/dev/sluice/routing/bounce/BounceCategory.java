package dev.sluice.routing.bounce;

import java.util.Locale;

/**
 * Why a receiving server refused or deferred a message, as logs, metrics and suppression see it.
 */
public enum BounceCategory {
  /** The mailbox does not exist (5.1.1, 5.1.10…): suppress the address. */
  INVALID_RECIPIENT,
  /** The mailbox is over quota or disabled for now (5.2.2, 4.2.2). */
  MAILBOX_FULL,
  /** Refused as spam or by the receiver's policy (5.7.1, content, DMARC…). */
  POLICY,
  /** The sending IP or account is throttled or has a poor reputation (4.7.28, 421 RL…). */
  REPUTATION,
  /** The recipient domain does not resolve or accepts no mail (5.1.2, null MX, 5.4.4). */
  DNS,
  /** TLS was required and could not be had (5.7.10, 4.7.5, certificate errors). */
  TLS,
  /** Anything else. */
  OTHER;

  /** The lower-case name used in logs and metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
