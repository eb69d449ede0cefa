package dev.sluice.relay.queue;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.Decision;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RecipientLimitPolicy;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.Stage;
import dev.sluice.routing.select.Eligibility;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.traffic.Admission;
import dev.sluice.routing.traffic.Charge;
import dev.sluice.routing.traffic.Suspension;
import dev.sluice.routing.traffic.TrafficControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routes recipients of a job, at the first routing of a round and again at every failover: paths
 * that failed for this message in this round are out, a suspended tenant's recipients wait, and
 * only the round's first routing takes from the per-recipient limits (a failover is not another
 * message). Recipients a member can take come back grouped, one group per rule, member, destination
 * and, for direct members, recipient domain (one MX); the others are settled on the job here:
 * deferred, or bounced when the policy refuses them. Confined to the scheduler's thread.
 */
final class RecipientRouting {
  private final TrafficControl traffic;
  private final JobOutcomes outcomes;
  private final DeliveryActivity activity;

  RecipientRouting(TrafficControl traffic, JobOutcomes outcomes, DeliveryActivity activity) {
    this.traffic = traffic;
    this.outcomes = outcomes;
    this.activity = activity;
  }

  /**
   * Recipients that go together through one member.
   *
   * @param domain the recipient domain for a direct member, whose MX decides the destination; empty
   *     for a relay
   */
  record Group(
      Decision.Deliver decision, Optional<String> domain, List<SpoolRecipient> recipients) {}

  private record GroupKey(
      String rule, String member, String destination, Optional<String> domain) {}

  /**
   * @param failures why each recipient is routed again, when it failed over: a recipient no path
   *     can take now is deferred with that failure
   * @param fresh the round's first routing
   */
  List<Group> route(
      Router router,
      MessageJob job,
      List<SpoolRecipient> recipients,
      Map<SpoolRecipient, RecipientOutcome> failures,
      boolean fresh,
      Instant now) {
    Eligibility live = traffic.eligibility(now);
    Optional<String> tenant = Optional.ofNullable(job.entry.envelope().tenant());
    Optional<Suspension> held = tenant.flatMap(t -> traffic.tenantSuspension(t, now));
    Eligibility eligibility =
        (member, destination) ->
            job.hasFailed(member, destination)
                ? new MemberVerdict.Ineligible(
                    MemberVerdict.Reason.DOWN, "failed for this message just now")
                : live.check(member, destination);
    RoutingSnapshot snapshot = new RoutingSnapshot(now, eligibility);
    Map<GroupKey, Group> groups = new LinkedHashMap<>();
    for (SpoolRecipient r : recipients) {
      if (held.isPresent()) {
        outcomes.defer(
            job,
            r,
            SmtpReply.of(451, "4.7.1", "Tenant " + tenant.get() + " " + held.get().describe()));
        continue;
      }
      Envelope routed = job.envelope(r);
      Decision d = router.route(routed, snapshot);
      activity.routed(job.entry.id(), routed, d);
      if (d instanceof Decision.Deliver deliver) {
        if (fresh && overRecipientLimit(job, r, deliver, now)) {
          continue;
        }
        MemberConfig m = deliver.member();
        Optional<String> domain =
            m.relay().isPresent() ? Optional.empty() : Optional.of(Envelope.domainOf(r.address()));
        GroupKey key = new GroupKey(deliver.rule(), m.name(), deliver.destination(), domain);
        groups
            .computeIfAbsent(key, k -> new Group(deliver, domain, new ArrayList<>()))
            .recipients()
            .add(r);
      } else if (d instanceof Decision.FallThrough f) {
        RecipientOutcome failed = failures.get(r);
        if (failed != null) {
          outcomes.deferred(job, failed, DeliveryEvents.Via.NONE, tenant);
        } else {
          outcomes.defer(
              job, r, SmtpReply.of(451, "4.4.5", "No path available now: " + f.summary()));
        }
      } else {
        Decision.Refuse refuse = (Decision.Refuse) d;
        outcomes.bounce(
            job,
            new RecipientOutcome(
                r,
                Disposition.BOUNCE,
                Stage.DNS,
                SmtpReply.of(554, "5.7.1", "Refused by the routing policy: " + refuse.summary()),
                "",
                false),
            tenant,
            DeliveryEvents.Via.NONE);
      }
    }
    return List.copyOf(groups.values());
  }

  /**
   * Takes one message from the recipient's limit, once per message; over it, the recipient waits
   * for its next attempt or, if the rule says so, is bounced.
   */
  private boolean overRecipientLimit(
      MessageJob job, SpoolRecipient r, Decision.Deliver deliver, Instant now) {
    if (job.state.counted().contains(r.address())) {
      return false; // counted in an earlier round: a retry is not another message
    }
    Admission a = traffic.recipient(r.address(), deliver.route(), now);
    if (a.isAdmitted()) {
      job.counted.add(r.address());
      return false;
    }
    String limit = ((Charge.Bucket) a.refusedBy().get()).rate().toString();
    if (deliver.route().onRecipientLimit() == RecipientLimitPolicy.REJECT) {
      SmtpReply reply =
          SmtpReply.of(
              550,
              "5.7.1",
              "Too many messages to <" + r.address() + ">: over its limit of " + limit);
      outcomes.bounce(
          job,
          new RecipientOutcome(r, Disposition.BOUNCE, Stage.DNS, reply, "", false),
          deliver.tenant(),
          DeliveryEvents.Via.NONE);
    } else {
      outcomes.defer(
          job,
          r,
          SmtpReply.of(
              451,
              "4.7.1",
              "Too many messages to <" + r.address() + "> (limit " + limit + "); waiting"));
    }
    return true;
  }
}
