/**
 * The outbound SMTP client: hands one message to one host.
 *
 * <ol>
 *   <li>Make one {@link dev.sluice.relay.smtp.out.SmtpClient} per server, on the NIO event loop
 *       group, with the {@link dev.sluice.relay.smtp.out.ClientTimeouts} and the trust anchors for
 *       verified TLS.
 *   <li>{@link dev.sluice.relay.smtp.out.SmtpClient#connect} an {@link
 *       dev.sluice.relay.smtp.out.OutboundRoute}: source IP, host, TLS mode, credentials. A failure
 *       is an {@link dev.sluice.relay.smtp.out.OutboundException} whose stage says where.
 *   <li>{@link dev.sluice.relay.smtp.out.SmtpConnection#send} an {@link
 *       dev.sluice.relay.smtp.out.OutboundMessage}; the {@link
 *       dev.sluice.relay.smtp.out.TransactionResult} has one result per recipient, each with the
 *       stage that decided it and the reply (the server's, or the client's own refusal).
 *   <li>While {@link dev.sluice.relay.smtp.out.SmtpConnection#reusable()}, send more (the client
 *       sends RSET itself after a failed transaction); a connection that went stale while idle
 *       fails its next MAIL without a reply, and the caller opens a fresh one.
 *   <li>{@link dev.sluice.relay.smtp.out.SmtpConnection#close()} when done.
 * </ol>
 *
 * <p>Inside: {@code ReplyDecoder} frames replies through the pure {@code ReplyParser}; {@code
 * ClientHandler} matches replies to commands and runs timeouts; {@code SessionOpener} does
 * greeting, EHLO, STARTTLS and AUTH; {@code TransactionPlan} (pure) decides the commands of a
 * transaction; {@code TransactionRun} carries them out; {@code BodyWriter} streams the text through
 * the pure {@code BodyEncoder}.
 */
package dev.sluice.relay.smtp.out;
