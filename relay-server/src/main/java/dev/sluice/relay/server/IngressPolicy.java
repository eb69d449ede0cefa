package dev.sluice.relay.server;

import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.smtp.in.ClientInfo;
import dev.sluice.relay.smtp.in.SessionPolicy;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.suppress.SuppressionList;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Headers;
import dev.sluice.routing.Router;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the ingress asks of the rest of the server: whether the spool can take mail, the tenant's
 * sender restriction, and (when {@code suppression.refuse_at_rcpt} is on) the tenant's suppression
 * list, which refuses recipients that hard-bounced before with 550 5.1.1.
 */
public final class IngressPolicy implements SessionPolicy {
  private final Spool spool;
  private final Supplier<TenantDirectory> tenants;
  private final Supplier<Router> router;
  private final Optional<SuppressionList> suppressed;

  /**
   * @param tenants the tenants of the policy in force, asked at every use
   * @param router the router in force: resolves the tenant of a recipient check as routing will
   *     (AUTH, network, sender)
   * @param suppressed the list to refuse recipients from, or empty to let every recipient pass
   */
  public IngressPolicy(
      Spool spool,
      Supplier<TenantDirectory> tenants,
      Supplier<Router> router,
      Optional<SuppressionList> suppressed) {
    this.spool = spool;
    this.tenants = tenants;
    this.router = router;
    this.suppressed = suppressed;
  }

  @Override
  public boolean available() {
    return spool.writable();
  }

  @Override
  public boolean accepting() {
    return spool.healthy();
  }

  @Override
  public Optional<SmtpReply> checkSender(ClientInfo client, String sender) {
    return tenants.get().checkSender(client, sender);
  }

  @Override
  public Optional<SmtpReply> checkRecipient(ClientInfo client, String sender, String recipient) {
    if (suppressed.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> tenant =
        router
            .get()
            .tenantOf(
                new Envelope(
                    sender,
                    recipient,
                    Headers.NONE,
                    client.tenant(),
                    Optional.of(client.address())));
    if (!suppressed.get().contains(tenant, recipient)) {
      return Optional.empty();
    }
    return Optional.of(
        SmtpReply.of(
            550,
            "5.1.1",
            "Recipient <"
                + recipient
                + "> is suppressed: an earlier message to it bounced permanently"));
  }
}
