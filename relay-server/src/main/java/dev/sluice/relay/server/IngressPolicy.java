package dev.sluice.relay.server;

import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.smtp.in.ClientInfo;
import dev.sluice.relay.smtp.in.SessionPolicy;
import dev.sluice.relay.spool.Spool;
import java.util.Optional;

/**
 * What the ingress asks of the rest of the server: whether the spool can take mail, and the
 * tenant's sender restriction. The recipient check is where the suppression list will refuse
 * hard-bounced recipients (550 5.1.1); until that list exists every recipient passes.
 */
public final class IngressPolicy implements SessionPolicy {
  private final Spool spool;
  private final TenantDirectory tenants;

  public IngressPolicy(Spool spool, TenantDirectory tenants) {
    this.spool = spool;
    this.tenants = tenants;
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
    return tenants.checkSender(client, sender);
  }

  @Override
  public Optional<SmtpReply> checkRecipient(ClientInfo client, String recipient) {
    return Optional.empty();
  }
}
