/**
 * The durable spool: where a message lives from its 250 until it is delivered, bounced or expired.
 *
 * <ol>
 *   <li>Open one {@link dev.sluice.relay.spool.SegmentSpool} per spool directory at start: {@code
 *       SegmentSpool.open(dir, SpoolOptions.defaults(), clock)}. Opening recovers the queue from
 *       the journal; log {@link dev.sluice.relay.spool.SegmentSpool#recoveryReport()} if it is not
 *       empty, and rebuild the scheduler's queues from {@link
 *       dev.sluice.relay.spool.Spool#entries()}.
 *   <li>Ingress: before reading DATA, check {@link dev.sluice.relay.spool.Spool#healthy()} (452
 *       4.3.1 when false); after the final dot, call {@link dev.sluice.relay.spool.Spool#store} and
 *       answer {@code 250 2.0.0 Ok: queued as <id>} only when its future completes, 452 4.3.1 when
 *       it fails with {@link dev.sluice.relay.spool.SpoolException}.
 *   <li>Delivery: {@link dev.sluice.relay.spool.Spool#readBody} before each attempt; a {@link
 *       dev.sluice.relay.spool.SpoolException} from it means the body was damaged and the message
 *       moved to {@code quarantine/}: drop it from the queues.
 *   <li>Scheduler: record each attempt with {@link dev.sluice.relay.spool.Spool#update}; when a
 *       message is delivered, bounced or expired, {@link dev.sluice.relay.spool.Spool#remove}.
 *   <li>Shutdown: {@link dev.sluice.relay.spool.Spool#close()} commits what is pending.
 * </ol>
 *
 * <p>Futures complete on the {@code spool-commit} thread: never block in their callbacks. The
 * format, the durability argument and measured figures are in {@code docs/spool.md}.
 */
package dev.sluice.relay.spool;
