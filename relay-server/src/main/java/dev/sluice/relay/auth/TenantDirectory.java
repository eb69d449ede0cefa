package dev.sluice.relay.auth;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.smtp.in.ClientInfo;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.TenantConfig;
import dev.sluice.routing.config.TenantUser;
import dev.sluice.routing.rules.DomainSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tenants of one routes.yaml as the ingress needs them: who may log in (and as which tenant)
 * and which sender domains a restricted tenant may use. Immutable; a reload builds a new one.
 */
public final class TenantDirectory {
  /** A hash to compare against for unknown users, so they take as long as known ones. */
  private static final String DECOY = PasswordHashes.bcrypt("decoy".toCharArray());

  private final Map<String, TenantUser> users = new HashMap<>();
  private final Map<String, String> tenantOfUser = new HashMap<>();
  private final Map<String, DomainSet> allowedSenders = new HashMap<>();

  public TenantDirectory(RoutesConfig routes) {
    for (TenantConfig tenant : routes.tenants().values()) {
      for (TenantUser user : tenant.users()) {
        users.put(user.username(), user);
        tenantOfUser.put(user.username(), tenant.name());
      }
      if (tenant.restrictSenders()) {
        allowedSenders.put(tenant.name(), DomainSet.of(tenant.senderDomains()));
      }
    }
  }

  /** The tenant of {@code username} when the password is right; constant work for unknown users. */
  public Optional<String> tenantOf(String username, String password) {
    TenantUser user = users.get(username);
    boolean ok =
        PasswordHashes.matches(password.toCharArray(), user == null ? DECOY : user.passwordHash());
    return ok && user != null ? Optional.of(tenantOfUser.get(username)) : Optional.empty();
  }

  /** 553 5.7.1 when the client's tenant is restricted to other sender domains. */
  public Optional<SmtpReply> checkSender(ClientInfo client, String sender) {
    Optional<DomainSet> allowed = client.tenant().map(allowedSenders::get);
    if (allowed.isEmpty()) {
      return Optional.empty();
    }
    int at = sender.lastIndexOf('@');
    String domain = at < 0 ? "" : DomainSet.normalize(sender.substring(at + 1));
    if (allowed.get().contains(domain)) {
      return Optional.empty();
    }
    return Optional.of(
        SmtpReply.of(
            553,
            "5.7.1",
            "Sender <" + sender + "> is not allowed for tenant " + client.tenant().get()));
  }
}
