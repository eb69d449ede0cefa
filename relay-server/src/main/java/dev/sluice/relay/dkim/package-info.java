/**
 * DKIM signing of outgoing mail (RFC 6376 rsa-sha256, RFC 8463 ed25519-sha256).
 *
 * <ol>
 *   <li>At start and on reload, build one {@link dev.sluice.relay.dkim.DkimSigner} from the
 *       configured keys: {@code DkimSigner.load(List.of(new DkimKey("example.com", "s1",
 *       Path.of("/etc/sluice/dkim/example.com.pem"))))}. It throws {@link java.io.IOException}
 *       naming the file when a key is bad; keep the previous signer then.
 *   <li>Before each delivery attempt, take the domain of the envelope sender (or of From, as the
 *       policy says); when {@link dev.sluice.relay.dkim.DkimSigner#hasKey} is true, call {@link
 *       dev.sluice.relay.dkim.DkimSigner#sign} with the message exactly as it will be sent (after
 *       every header Sluice adds or removes) and send the returned field(s) before it.
 *   <li>Publish {@link dev.sluice.relay.dkim.DkimSigner#dnsRecords} at the names it gives.
 * </ol>
 *
 * <p>The signer is immutable and thread-safe; signing costs one pass over the body (SHA-256) and
 * one private-key operation per key.
 */
package dev.sluice.relay.dkim;
