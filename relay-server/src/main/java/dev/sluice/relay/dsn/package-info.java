/**
 * Delivery status notifications (RFC 3464 reports, RFC 3461 parameters): what Sluice sends the
 * envelope sender when a recipient failed, is delayed, or (when asked) was delivered.
 *
 * <ol>
 *   <li>For each recipient that reached an outcome, ask {@link
 *       dev.sluice.relay.dsn.DsnMessage#wanted(String,
 *       dev.sluice.relay.dsn.RecipientStatus.Action)} with its NOTIFY parameter; keep those it
 *       wants. No DSN at all when the original envelope sender was null (RFC 3461 §6.2, RFC 5321
 *       §4.5.5).
 *   <li>Describe each kept recipient as a {@link dev.sluice.relay.dsn.RecipientStatus}: the remote
 *       reply's text goes in {@code diagnostic} as is; Sluice cleans and folds it.
 *   <li>Put them with the original message in a {@link dev.sluice.relay.dsn.DsnReport} and call
 *       {@link dev.sluice.relay.dsn.DsnMessage#build}. One report per kind of outcome reads best
 *       (the subject follows the gravest action: failed, then delayed, then success).
 *   <li>Spool the result with the null reverse path and one recipient, the original sender.
 * </ol>
 *
 * <p>The third part carries the whole original message only for failures without {@code RET=HDRS},
 * when the message is at most 256 KiB and its body is 7-bit; otherwise its header block. The DSN
 * itself is 7-bit, so that a host without 8BITMIME takes it (see {@link
 * dev.sluice.relay.dsn.DsnMessage}).
 */
package dev.sluice.relay.dsn;
