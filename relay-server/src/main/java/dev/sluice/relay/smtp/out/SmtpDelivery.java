package dev.sluice.relay.smtp.out;

import dev.sluice.relay.queue.Attempt;
import dev.sluice.relay.queue.AttemptResult;
import dev.sluice.relay.queue.DeliveryAgent;
import dev.sluice.relay.queue.RecipientOutcome;
import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.config.DestinationConfig;
import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RelayConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.TlsMode;
import dev.sluice.routing.net.IpLiterals;
import dev.sluice.routing.outcome.Disposition;
import dev.sluice.routing.outcome.OutcomePolicy;
import dev.sluice.routing.outcome.Stage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Carries out attempts over SMTP: finds the member's hosts (the recipient domain's MX for a direct
 * member, the relay's address for a relay member), and tries them in order with a cached or new
 * connection, bound to the member's source address. A host that cannot take the message (a fault,
 * TLS or AUTH failure, 421, a transient reply to the whole transaction) passes the recipients it
 * did not settle to the next host; a 452 to RCPT sends the refused recipients again in a new
 * transaction on the same host. Thread-safe.
 */
public final class SmtpDelivery implements DeliveryAgent {
  /** Addresses tried per attempt, as Postfix's smtp_mx_address_limit. */
  static final int MAX_ADDRESSES = 5;

  private static final int MAX_SPLIT_ROUNDS = 50;

  private final MxResolver dns;
  private final ConnectionCache connections;
  private final SecretReader secrets;
  private final Supplier<RoutesConfig> routes;
  private final String hostname;
  private final int smtpPort;
  private final int maxMessagesPerConnection;

  /**
   * @param routes the policy in force, asked at every attempt for its destinations' settings
   * @param hostname the EHLO name of members that set none
   * @param smtpPort the port of MX hosts (25)
   * @param timer schedules the reaping of idle connections
   */
  public SmtpDelivery(
      SmtpClient client,
      MxResolver dns,
      Supplier<RoutesConfig> routes,
      String hostname,
      int smtpPort,
      int maxMessagesPerConnection,
      Duration idleTimeout,
      ScheduledExecutorService timer) {
    this.dns = dns;
    this.connections = new ConnectionCache(client, idleTimeout, timer, System::nanoTime);
    this.secrets = SecretReader.system();
    this.routes = routes;
    this.hostname = hostname;
    this.smtpPort = smtpPort;
    this.maxMessagesPerConnection = maxMessagesPerConnection;
  }

  @Override
  public CompletableFuture<AttemptResult> deliver(Attempt attempt) {
    MemberConfig member = attempt.member();
    Optional<RelayConfig> relay = member.relay();
    CompletableFuture<MxResult> hosts =
        relay.isPresent()
            ? dns.resolveHost(relay.get().host())
            : dns.resolveMx(attempt.domain().orElse(""));
    return hosts
        .thenCompose(r -> afterDns(attempt, r))
        .exceptionally(
            e -> {
              // A bug, not a remote fault: the recipients go on to the next path and the log.
              SmtpReply reply = SmtpReply.of(451, "4.3.0", "Local error in delivery: " + e);
              return everyone(attempt, Disposition.NEXT_HOST, Stage.CONNECT, reply, "", true);
            });
  }

  private CompletableFuture<AttemptResult> afterDns(Attempt attempt, MxResult result) {
    boolean relay = attempt.member().relay().isPresent();
    String name = relay ? attempt.member().relay().get().host() : attempt.domain().orElse("");
    if (result instanceof MxResult.Hosts hosts) {
      return new Run(attempt, targets(attempt, hosts)).start();
    }
    if (relay) {
      // The relay's own name does not resolve: that path is down, another may work.
      String why = "relay host " + name + ": " + describe(result);
      SmtpReply reply = SmtpReply.of(451, "4.4.3", why);
      return CompletableFuture.completedFuture(
          everyone(attempt, Disposition.NEXT_HOST, Stage.DNS, reply, "", true));
    }
    SmtpReply reply;
    Disposition d;
    if (result instanceof MxResult.NullMx) {
      reply = SmtpReply.of(550, "5.1.10", "Domain " + name + " accepts no mail (null MX)");
      d = Disposition.BOUNCE;
    } else if (result instanceof MxResult.NoSuchDomain nx) {
      reply = SmtpReply.of(550, "5.1.2", "Domain " + name + " does not exist: " + nx.detail());
      d = Disposition.BOUNCE;
    } else {
      MxResult.TempFailure t = (MxResult.TempFailure) result;
      reply = SmtpReply.of(451, "4.4.3", "DNS lookup of " + name + " failed: " + t.detail());
      d = Disposition.DEFER;
    }
    return CompletableFuture.completedFuture(everyone(attempt, d, Stage.DNS, reply, "", false));
  }

  @Override
  public CompletableFuture<Optional<String>> probe(MemberConfig member) {
    RelayConfig relay = member.relay().orElseThrow();
    return dns.resolveHost(relay.host())
        .thenCompose(
            r ->
                probeFirst(
                    member,
                    r,
                    relay.port(),
                    DestinationConfig.DEFAULT,
                    "relay host " + relay.host()))
        .exceptionally(e -> Optional.of(oneLine(outbound(e, Stage.CONNECT).getMessage())));
  }

  /**
   * Checks a direct member's path to {@code domain}: from its source address to the first MX host,
   * EHLO and STARTTLS as {@code destination} (the domain's) asks, then QUIT. Completes with empty
   * when all went well, else with what failed; never exceptionally.
   */
  public CompletableFuture<Optional<String>> probe(
      MemberConfig member, String domain, String destination) {
    return dns.resolveMx(domain)
        .thenCompose(r -> probeFirst(member, r, smtpPort, destination, domain))
        .exceptionally(e -> Optional.of(oneLine(outbound(e, Stage.CONNECT).getMessage())));
  }

  private CompletableFuture<Optional<String>> probeFirst(
      MemberConfig member, MxResult r, int port, String destination, String name) {
    if (!(r instanceof MxResult.Hosts hosts)
        || hosts.hosts().isEmpty()
        || hosts.hosts().get(0).addresses().isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(name + ": " + describe(r)));
    }
    MxHost h = hosts.hosts().get(0);
    Target target = new Target(h.name(), new InetSocketAddress(h.addresses().get(0), port));
    OutboundRoute route;
    try {
      route = route(member, destination, target);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(Optional.of(e.getMessage()));
    }
    return connections
        .fresh(route)
        .thenCompose(lease -> lease.connection().close())
        .thenApply(v -> Optional.<String>empty());
  }

  private static String describe(MxResult r) {
    if (r instanceof MxResult.NoSuchDomain nx) {
      return "does not exist (" + nx.detail() + ")";
    }
    if (r instanceof MxResult.TempFailure t) {
      return "lookup failed (" + t.detail() + ")";
    }
    return "has a null MX";
  }

  private List<Target> targets(Attempt attempt, MxResult.Hosts hosts) {
    int port = attempt.member().relay().map(RelayConfig::port).orElse(smtpPort);
    List<Target> out = new ArrayList<>();
    for (MxHost h : hosts.hosts()) {
      for (InetAddress a : h.addresses()) {
        if (out.size() < MAX_ADDRESSES) {
          out.add(new Target(h.name(), new InetSocketAddress(a, port)));
        }
      }
    }
    return out;
  }

  private int maxTransactions(String destination) {
    DestinationConfig d = routes.get().destinations().get(destination);
    int limit = maxMessagesPerConnection;
    if (d != null && d.messagesPerConnection().isPresent()) {
      limit = Math.min(limit, d.messagesPerConnection().getAsInt());
    }
    return limit;
  }

  private static AttemptResult everyone(
      Attempt attempt, Disposition d, Stage stage, SmtpReply reply, String host, boolean path) {
    List<RecipientOutcome> out = new ArrayList<>();
    for (SpoolRecipient r : attempt.recipients()) {
      out.add(new RecipientOutcome(r, d, stage, reply, host, false));
    }
    return new AttemptResult(out, path ? Optional.of(reply.toString()) : Optional.empty());
  }

  /** Connections kept open between transactions now, for metrics. */
  public int idleConnections() {
    return connections.idleCount();
  }

  @Override
  public void close() {
    connections.close();
  }

  /** One host address to try. */
  private record Target(String host, InetSocketAddress address) {
    String describe() {
      return host + "[" + address.getAddress().getHostAddress() + "]";
    }
  }

  /** The walk over the hosts of one attempt. */
  private final class Run {
    private final Attempt attempt;
    private final List<Target> targets;
    private final Map<SpoolRecipient, RecipientOutcome> settled = new LinkedHashMap<>();
    private final Map<SpoolRecipient, RecipientOutcome> passedOn = new LinkedHashMap<>();
    private boolean pathWorked;
    private String lastPathFailure = "no host to try";

    Run(Attempt attempt, List<Target> targets) {
      this.attempt = attempt;
      this.targets = targets;
    }

    CompletableFuture<AttemptResult> start() {
      return hostAt(0, attempt.recipients()).thenApply(left -> result());
    }

    private CompletableFuture<List<SpoolRecipient>> hostAt(int i, List<SpoolRecipient> rcpts) {
      if (rcpts.isEmpty() || i >= targets.size()) {
        return CompletableFuture.completedFuture(rcpts);
      }
      return send(targets.get(i), rcpts, 0, false).thenCompose(left -> hostAt(i + 1, left));
    }

    /**
     * One transaction at {@code target}; completes with the recipients to pass on to the next host.
     */
    private CompletableFuture<List<SpoolRecipient>> send(
        Target target, List<SpoolRecipient> rcpts, int splitRound, boolean freshOnly) {
      OutboundRoute route;
      try {
        route = route(attempt.member(), attempt.destination(), target);
      } catch (IOException e) {
        return CompletableFuture.completedFuture(
            pathFailed(target, rcpts, Stage.AUTH, null, e.getMessage()));
      }
      CompletableFuture<ConnectionCache.Lease> lease =
          freshOnly ? connections.fresh(route) : connections.acquire(route);
      return lease
          .handle(
              (l, error) -> {
                if (error != null) {
                  OutboundException e = outbound(error, Stage.CONNECT);
                  return CompletableFuture.completedFuture(
                      pathFailed(target, rcpts, e.stage(), e.reply().orElse(null), e.getMessage()));
                }
                return transaction(target, l, rcpts, splitRound);
              })
          .thenCompose(f -> f);
    }

    private CompletableFuture<List<SpoolRecipient>> transaction(
        Target target, ConnectionCache.Lease lease, List<SpoolRecipient> rcpts, int splitRound) {
      SmtpConnection c = lease.connection();
      OutboundMessage message =
          new OutboundMessage(
              attempt.envelope().sender(),
              rcpts,
              attempt.body(),
              attempt.envelope().envid(),
              attempt.envelope().ret());
      return c.send(message)
          .handle(
              (result, error) -> {
                if (error != null) {
                  c.close();
                  OutboundException e = outbound(error, Stage.MAIL);
                  if (lease.reused() && e.stage() == Stage.MAIL && e.reply().isEmpty()) {
                    // The cached connection had gone stale while idle: not this host's fault.
                    return send(target, rcpts, splitRound, true);
                  }
                  if (e.stage().compareTo(Stage.MAIL) > 0 && !e.timedOut()) {
                    // MAIL was answered and the host did not hang: it took part (delivery.md).
                    pathWorked = true;
                  }
                  SmtpReply reply =
                      e.reply()
                          .orElse(
                              e.stage().afterFinalDot()
                                  ? SmtpReply.of(
                                      451,
                                      "4.4.2",
                                      "Connection lost after the final dot: " + e.getMessage())
                                  : null);
                  return broken(target, c, rcpts, e, reply, splitRound);
                }
                connections.release(c, maxTransactions(attempt.destination()));
                if (lease.reused() && closedWhileIdle(result)) {
                  // A 421 to MAIL on a kept connection: the server ended it for being idle as
                  // we reused it, which says nothing about this host. Once more on a new one.
                  return send(target, rcpts, splitRound, true);
                }
                return settle(target, c, result, splitRound);
              })
          .thenCompose(f -> f);
    }

    private CompletableFuture<List<SpoolRecipient>> settle(
        Target target, SmtpConnection c, TransactionResult result, int splitRound) {
      List<SpoolRecipient> next = new ArrayList<>();
      List<RecipientOutcome> split = new ArrayList<>();
      boolean progress = false;
      boolean dsn = c.capabilities().dsn();
      for (RecipientResult r : result.recipients()) {
        Disposition d =
            OutcomePolicy.forReply(r.stage(), r.reply().code(), attempt.route().onHardBounce());
        if (!OutcomePolicy.blamesPath(r.stage(), r.reply().code())) {
          pathWorked = true;
        } else {
          lastPathFailure = target.describe() + ": " + r.reply();
        }
        RecipientOutcome o =
            new RecipientOutcome(r.recipient(), d, r.stage(), r.reply(), target.describe(), dsn);
        switch (d) {
          case NEXT_HOST -> {
            passedOn.put(r.recipient(), o);
            next.add(r.recipient());
          }
          case SPLIT -> split.add(o);
          default -> {
            progress = true;
            passedOn.remove(r.recipient());
            settled.put(r.recipient(), o);
          }
        }
      }
      if (split.isEmpty()) {
        return CompletableFuture.completedFuture(next);
      }
      if (!progress || splitRound >= MAX_SPLIT_ROUNDS) {
        // RFC 5321 §4.5.3.1.10 promises room in a later transaction only when this one took some
        // recipients; otherwise the host is full for now and they wait for the retry.
        for (RecipientOutcome o : split) {
          settled.put(
              o.recipient(),
              new RecipientOutcome(
                  o.recipient(), Disposition.DEFER, o.stage(), o.reply(), o.host(), dsn));
        }
        return CompletableFuture.completedFuture(next);
      }
      List<SpoolRecipient> again = split.stream().map(RecipientOutcome::recipient).toList();
      return send(target, again, splitRound + 1, false).thenApply(more -> concat(next, more));
    }

    /**
     * A transaction that broke: the recipients it had settled keep their outcome (a 550 to RCPT
     * still bounces); the others go on to the next host.
     */
    private CompletableFuture<List<SpoolRecipient>> broken(
        Target target,
        SmtpConnection c,
        List<SpoolRecipient> rcpts,
        OutboundException e,
        SmtpReply reply,
        int splitRound) {
      Set<SpoolRecipient> decided = new HashSet<>();
      e.decided().forEach(r -> decided.add(r.recipient()));
      List<SpoolRecipient> open = rcpts.stream().filter(r -> !decided.contains(r)).toList();
      List<SpoolRecipient> next = pathFailed(target, open, e.stage(), reply, e.getMessage());
      if (decided.isEmpty()) {
        return CompletableFuture.completedFuture(next);
      }
      return settle(target, c, new TransactionResult(e.decided()), splitRound)
          .thenApply(more -> concat(next, more));
    }

    private List<SpoolRecipient> pathFailed(
        Target target, List<SpoolRecipient> rcpts, Stage stage, SmtpReply reply, String why) {
      SmtpReply r = reply != null ? reply : SmtpReply.of(451, "4.4.1", oneLine(why));
      lastPathFailure = target.describe() + ": " + r;
      for (SpoolRecipient rcpt : rcpts) {
        passedOn.put(
            rcpt,
            new RecipientOutcome(rcpt, Disposition.NEXT_HOST, stage, r, target.describe(), false));
      }
      return rcpts;
    }

    private AttemptResult result() {
      List<RecipientOutcome> out = new ArrayList<>();
      for (SpoolRecipient r : attempt.recipients()) {
        RecipientOutcome o = settled.get(r);
        if (o == null) {
          o = passedOn.get(r);
        }
        if (o == null) {
          o =
              new RecipientOutcome(
                  r,
                  Disposition.NEXT_HOST,
                  Stage.CONNECT,
                  SmtpReply.of(451, "4.4.1", oneLine(lastPathFailure)),
                  "",
                  false);
        }
        out.add(o);
      }
      boolean left = out.stream().anyMatch(o -> o.disposition() == Disposition.NEXT_HOST);
      return new AttemptResult(
          out, left && !pathWorked ? Optional.of(lastPathFailure) : Optional.empty());
    }
  }

  /** How to connect to one host for a member: source address, EHLO name, TLS, credentials. */
  private OutboundRoute route(MemberConfig m, String destination, Target target)
      throws IOException {
    Optional<Credentials> credentials = Optional.empty();
    DestinationConfig d = routes.get().destinations().get(destination);
    TlsMode tls = d == null ? TlsMode.OPPORTUNISTIC : d.tls();
    if (m.relay().isPresent()) {
      RelayConfig r = m.relay().get();
      tls = r.tls();
      if (r.auth().isPresent()) {
        credentials =
            Optional.of(
                new Credentials(
                    r.auth().get().username(), secrets.read(r.auth().get().password())));
      }
    }
    return new OutboundRoute(
        target.address(), target.host(), source(m), m.ehlo().orElse(hostname), tls, credentials);
  }

  private static Optional<InetAddress> source(MemberConfig m) throws IOException {
    if (m.sourceIp().isEmpty()) {
      return Optional.empty();
    }
    Optional<byte[]> ip = IpLiterals.parse(m.sourceIp().get());
    if (ip.isEmpty()) {
      throw new IOException("source_ip " + m.sourceIp().get() + " is not an IP address");
    }
    try {
      return Optional.of(InetAddress.getByAddress(ip.get()));
    } catch (UnknownHostException e) {
      throw new IOException("source_ip " + m.sourceIp().get() + ": " + e.getMessage(), e);
    }
  }

  private static boolean closedWhileIdle(TransactionResult result) {
    return result.recipients().stream()
        .anyMatch(r -> r.stage() == Stage.MAIL && r.reply().code() == 421);
  }

  private static List<SpoolRecipient> concat(List<SpoolRecipient> a, List<SpoolRecipient> b) {
    List<SpoolRecipient> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static OutboundException outbound(Throwable error, Stage fallback) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof OutboundException oe) {
      return oe;
    }
    return new OutboundException(fallback, null, String.valueOf(e), e);
  }

  private static String oneLine(String text) {
    String t = text == null ? "failed" : text.replaceAll("[\\r\\n]+", " ");
    return t.length() > 400 ? t.substring(0, 400) : t;
  }
}
