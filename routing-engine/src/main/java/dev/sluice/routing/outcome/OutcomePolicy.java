package dev.sluice.routing.outcome;

import dev.sluice.routing.config.RouteAction.HardBouncePolicy;

/**
 * Turns the result of an attempt into what happens to a recipient. Pure and thread-safe.
 *
 * <ul>
 *   <li>2xx at the stage that decides the recipient (RCPT refused it, or DATA_END took it):
 *       delivered.
 *   <li>Any failure before MAIL (connection refused, timeout, TLS, greeting, EHLO, AUTH), any 421
 *       (the server is closing), and any transient reply to the whole transaction (MAIL, DATA,
 *       DATA_END): the next host. A fault after the final dot counts as a 451: the message may have
 *       arrived, a duplicate is acceptable, a loss is not.
 *   <li>A transient reply to one RCPT: 452 (too many recipients, RFC 5321 §4.5.3.1.10) splits the
 *       batch; any other defers that recipient alone.
 *   <li>A permanent reply from MAIL, RCPT, DATA or DATA_END bounces the recipient, unless the rule
 *       says {@code on_hard_bounce: retry}, which defers it instead.
 * </ul>
 */
public final class OutcomePolicy {
  private OutcomePolicy() {}

  /**
   * The disposition of a recipient whose attempt ended with {@code code} at {@code stage}.
   *
   * @param code the SMTP reply code (2xx, 4xx or 5xx)
   */
  public static Disposition forReply(Stage stage, int code, HardBouncePolicy onHardBounce) {
    if (code >= 200 && code < 300) {
      return stage == Stage.RCPT || stage == Stage.DATA_END
          ? Disposition.DELIVERED
          : Disposition.NEXT_HOST; // a 2xx cannot end a transaction early; treat as a broken peer
    }
    if (code == 421 || beforeTransaction(stage)) {
      return Disposition.NEXT_HOST;
    }
    if (code >= 400 && code < 500) {
      if (stage != Stage.RCPT) {
        return Disposition.NEXT_HOST;
      }
      return code == 452 ? Disposition.SPLIT : Disposition.DEFER;
    }
    return onHardBounce == HardBouncePolicy.RETRY ? Disposition.DEFER : Disposition.BOUNCE;
  }

  /**
   * The disposition of a recipient whose attempt failed without a reply (connection refused or
   * lost, timeout, TLS handshake failure) at {@code stage}: always the next host, since another
   * host (or member) may well work.
   */
  public static Disposition forFault(Stage stage) {
    return Disposition.NEXT_HOST;
  }

  /**
   * Whether a failure at {@code stage} concerns the path (this host, this member) rather than the
   * message: such failures feed the member's health.
   */
  public static boolean blamesPath(Stage stage, int code) {
    return beforeTransaction(stage) || code == 421;
  }

  private static boolean beforeTransaction(Stage stage) {
    return stage.compareTo(Stage.MAIL) < 0;
  }
}
