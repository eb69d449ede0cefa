package dev.sluice.relay.server;

import dev.sluice.relay.config.DeliveryConfig;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.dkim.DkimSigner;
import dev.sluice.relay.events.EventSink;
import dev.sluice.relay.events.TrafficEvents;
import dev.sluice.relay.policy.LivePolicy;
import dev.sluice.relay.queue.Bounces;
import dev.sluice.relay.queue.DkimBodies;
import dev.sluice.relay.queue.MessageActions;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.smtp.out.MxDestinations;
import dev.sluice.relay.smtp.out.MxResolver;
import dev.sluice.relay.smtp.out.SmtpClient;
import dev.sluice.relay.smtp.out.SmtpDelivery;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.suppress.SuppressionList;
import dev.sluice.relay.traffic.TrafficStores;
import dev.sluice.routing.traffic.TrafficControl;
import dev.sluice.routing.traffic.TrafficStore;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The outbound half of the daemon, assembled: DNS, the SMTP client and its connection cache, DKIM,
 * DSNs and the scheduler that drives them. Ingress hands it each stored message; once the daemon
 * has started, it takes over what the spool recovered ({@link #recover}).
 */
final class Outbound implements AutoCloseable {
  private final Scheduler scheduler;
  private final TrafficStore store;
  private final SmtpDelivery agent;
  private final MessageActions actions;

  private Outbound(
      Scheduler scheduler, TrafficStore store, SmtpDelivery agent, MessageActions actions) {
    this.scheduler = scheduler;
    this.store = store;
    this.agent = agent;
    this.actions = actions;
  }

  static Outbound start(
      ServerConfig config,
      LivePolicy policy,
      Spool spool,
      SuppressionList suppressions,
      EventLoopGroup group,
      EventSink events,
      Clock clock)
      throws IOException {
    DeliveryConfig d = config.delivery();
    MxResolver dns = new MxResolver(config.dnsResolvers(), clock, config.dnsTimeout());
    SmtpDelivery agent =
        new SmtpDelivery(
            new SmtpClient(group, d.timeouts(), d.tlsTrust()),
            dns,
            policy::routes,
            config.hostname(),
            d.smtpPort(),
            d.maxMessagesPerConnection(),
            d.idleTimeout(),
            group);
    TrafficStore store = TrafficStores.open(config.cluster(), clock);
    AtomicReference<Scheduler> self = new AtomicReference<>();
    Bounces bounces =
        new Bounces(spool, e -> self.get().submit(e), suppressions, config.hostname(), clock);
    Scheduler scheduler =
        new Scheduler(
            spool,
            policy.router(),
            agent,
            new MxDestinations(dns, policy::router),
            bounces,
            new DkimBodies(DkimSigner.load(config.dkimKeys()), clock),
            d.scheduler(),
            new TrafficControl(policy.routes(), store, new TrafficEvents(events)),
            events,
            clock);
    self.set(scheduler);
    policy.subscribe(p -> scheduler.reconfigure(p.router(), p.holds()));
    return new Outbound(
        scheduler, store, agent, new MessageActions(scheduler, spool, bounces, events, clock));
  }

  /** Schedules the messages the spool recovered, each when its next attempt is due. */
  void recover(Collection<SpoolEntry> recovered) {
    scheduler.recover(recovered);
  }

  /** Schedules a message the ingress just stored. */
  void submit(SpoolEntry entry) {
    scheduler.submit(entry);
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Where traffic control keeps its counters (Redis in a cluster), shared with the AUTH throttle.
   */
  TrafficStore trafficStore() {
    return store;
  }

  /** The SMTP client side, for an operator's member tests. */
  SmtpDelivery agent() {
    return agent;
  }

  /** Retry, bounce and delete of one queued message. */
  MessageActions messageActions() {
    return actions;
  }

  /** Outbound connections open and idle, waiting for the next transaction. */
  int idleConnections() {
    return agent.idleConnections();
  }

  /** Lets attempts in flight finish (within the shutdown grace) and writes their results. */
  @Override
  public void close() {
    scheduler.close();
    store.close();
  }
}
