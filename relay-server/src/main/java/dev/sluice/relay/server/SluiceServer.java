package dev.sluice.relay.server;

import dev.sluice.relay.admin.AdminRoutes;
import dev.sluice.relay.admin.AdminServer;
import dev.sluice.relay.admin.AdminToken;
import dev.sluice.relay.admin.DashboardAssets;
import dev.sluice.relay.admin.EventEndpoints;
import dev.sluice.relay.admin.HealthEndpoints;
import dev.sluice.relay.admin.MemberOverrideEndpoints;
import dev.sluice.relay.admin.MemberTestEndpoints;
import dev.sluice.relay.admin.MemberViews;
import dev.sluice.relay.admin.MessageEndpoints;
import dev.sluice.relay.admin.MetricsEndpoint;
import dev.sluice.relay.admin.OpenApiEndpoint;
import dev.sluice.relay.admin.PoolEndpoints;
import dev.sluice.relay.admin.QueueEndpoints;
import dev.sluice.relay.admin.ReloadEndpoint;
import dev.sluice.relay.admin.RouteEndpoints;
import dev.sluice.relay.admin.StatusEndpoints;
import dev.sluice.relay.admin.SuppressionEndpoints;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.events.EventBus;
import dev.sluice.relay.events.EventRing;
import dev.sluice.relay.logging.DaemonLogging;
import dev.sluice.relay.logging.EventLog;
import dev.sluice.relay.logging.LineWriter;
import dev.sluice.relay.metrics.EventMetrics;
import dev.sluice.relay.metrics.IngressLatency;
import dev.sluice.relay.policy.LivePolicy;
import dev.sluice.relay.policy.LoadedRoutes;
import dev.sluice.relay.policy.OverrideFile;
import dev.sluice.relay.policy.RoutesWatcher;
import dev.sluice.relay.queue.Scheduler;
import dev.sluice.relay.smtp.in.ConnectionLimiter;
import dev.sluice.relay.smtp.in.ConnectionRate;
import dev.sluice.relay.smtp.in.SessionSettings;
import dev.sluice.relay.smtp.in.SmtpServer;
import dev.sluice.relay.spool.SegmentSpool;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolOptions;
import dev.sluice.relay.suppress.SuppressionList;
import dev.sluice.relay.tls.SelfSignedCertificate;
import dev.sluice.relay.tls.TlsCertificates;
import dev.sluice.relay.webhooks.WebhookSink;
import dev.sluice.relay.webhooks.Webhooks;
import dev.sluice.routing.config.RoutesConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The running daemon: opens the spool, prepares TLS, binds every listener, and stops them in order
 * (listeners answer 421, the spool closes last, so nothing acknowledged is lost).
 */
public final class SluiceServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SluiceServer.class.getName());

  /** How long routes.yaml must stay unchanged after a write before it is reloaded. */
  private static final java.time.Duration WATCH_QUIET = java.time.Duration.ofMillis(300);

  private final EventLoopGroup boss = new NioEventLoopGroup(1);
  private final EventLoopGroup workers;
  private final ExecutorService blocking =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "sluice-auth");
            t.setDaemon(true);
            return t;
          });
  private final List<SmtpServer> servers = new ArrayList<>();
  private final List<InetSocketAddress> bound = new ArrayList<>();
  private final Spool spool;
  private final SuppressionList suppressions;
  private final IngressLatency latency = new IngressLatency();
  private final EventBus events = new EventBus();
  private final EventRing ring = new EventRing(EventRing.DEFAULT_CAPACITY);
  private final EventMetrics metrics = new EventMetrics();
  private final LineWriter log;
  private final boolean ownsLog;
  private List<WebhookSink> webhooks = List.of();
  private ServerMetrics scrape;
  private Outbound outbound;
  private LivePolicy policy;
  private RoutesWatcher watcher;
  private AdminServer admin;
  private ServerConfig config;
  private Clock clock;
  private Instant startedAt;
  private volatile boolean closing;

  private SluiceServer(
      Spool spool, SuppressionList suppressions, LineWriter log, boolean ownsLog, int ioThreads) {
    this.workers = new NioEventLoopGroup(ioThreads);
    this.spool = spool;
    this.suppressions = suppressions;
    this.log = log;
    this.ownsLog = ownsLog;
  }

  /**
   * Starts everything {@code config} describes with a routing policy given in code; events are
   * logged where {@code logging:} says, through a writer the server closes with itself.
   */
  public static SluiceServer start(
      ServerConfig config, RoutesConfig routes, Path dataDir, Clock clock)
      throws IOException, InterruptedException {
    return start(config, LoadedRoutes.of(routes), dataDir, clock);
  }

  /**
   * Starts everything {@code config} describes with the routing policy {@code routes}; events are
   * logged where {@code logging:} says, through a writer the server closes with itself.
   */
  public static SluiceServer start(
      ServerConfig config, LoadedRoutes routes, Path dataDir, Clock clock)
      throws IOException, InterruptedException {
    LineWriter log = DaemonLogging.open(config.logging());
    try {
      return start(config, routes, dataDir, clock, log, true);
    } catch (IOException | InterruptedException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /**
   * As {@link #start(ServerConfig, LoadedRoutes, Path, Clock)}, logging events to the daemon's own
   * writer ({@link DaemonLogging}), which the caller closes after the server.
   */
  public static SluiceServer start(
      ServerConfig config, LoadedRoutes routes, Path dataDir, Clock clock, LineWriter log)
      throws IOException, InterruptedException {
    return start(config, routes, dataDir, clock, log, false);
  }

  private static SluiceServer start(
      ServerConfig config,
      LoadedRoutes routes,
      Path dataDir,
      Clock clock,
      LineWriter log,
      boolean ownsLog)
      throws IOException, InterruptedException {
    SpoolOptions options =
        new SpoolOptions(
            config.spoolSegmentBytes(), config.spoolMinFreeBytes(), java.time.Duration.ZERO);
    SegmentSpool spool = SegmentSpool.open(config.spoolDir(), options, clock);
    SuppressionList suppressions;
    try {
      suppressions = SuppressionList.open(suppressionFile(config));
    } catch (IOException e) {
      spool.close();
      throw e;
    }
    SluiceServer server = new SluiceServer(spool, suppressions, log, ownsLog, config.ioThreads());
    try {
      server.bindAll(config, routes, dataDir, clock);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void bindAll(ServerConfig config, LoadedRoutes routes, Path dataDir, Clock clock)
      throws IOException, InterruptedException {
    this.config = config;
    this.clock = clock;
    this.startedAt = clock.instant();
    TlsCertificates certificates = TlsCertificates.load(certificate(config, dataDir, clock));
    Optional<Supplier<SslContext>> tls = Optional.of(certificates);
    // A renewed certificate is picked up within a minute, without a restart; the self-signed one
    // is renewed here before it expires.
    boss.scheduleAtFixedRate(
        () -> {
          renewSelfSigned(config, dataDir, clock);
          certificates.reloadIfChanged();
        },
        1,
        1,
        java.util.concurrent.TimeUnit.MINUTES);
    policy =
        LivePolicy.start(
            config.routes(), routes.config(), OverrideFile.besideSpool(config.spoolDir()), clock);
    webhooks = Webhooks.start(config.webhooks(), System::getenv, clock);
    events.add(metrics).add(ring).add(new EventLog(config.logging().format(), log));
    webhooks.forEach(events::add);
    outbound = Outbound.start(config, policy, spool, suppressions, workers, events, clock);
    // Taken before the listeners store anything new; scheduled last, once nothing can fail.
    Collection<SpoolEntry> recovered = spool.entries();
    scrape =
        new ServerMetrics(
            metrics,
            latency,
            this::scheduler,
            policy::routes,
            outbound::idleConnections,
            spool::quarantined,
            events,
            log,
            webhooks,
            clock);
    Outbound delivery = outbound;
    ServerConfig.IngressLimits l = config.limits();
    SessionSettings settings =
        new SessionSettings(
            config.hostname(),
            l.maxMessageSize(),
            l.maxRecipients(),
            l.maxErrors(),
            4096,
            l.maxLineLength(),
            l.commandTimeout(),
            l.dataTimeout());
    AuthGuard auth =
        new AuthGuard(
            policy::tenants,
            new dev.sluice.relay.auth.AuthThrottle(
                config.authThrottle().maxFailures(),
                config.authThrottle().window(),
                outbound.trafficStore(),
                clock),
            events,
            clock);
    // One set of caps for the whole server: max_connections counts every listener together.
    ConnectionLimiter limiter =
        new ConnectionLimiter(
            l.maxConnections(),
            l.maxConnectionsPerIp(),
            new ConnectionRate(l.connectionRatePerIp(), config.trustedNetworks(), clock));
    for (ServerConfig.ListenerConfig listener : config.listeners()) {
      SmtpServer smtp =
          new SmtpServer(
              new SmtpServer.Listener(
                  listener.name(),
                  listener.address(),
                  listener.mode(),
                  settings,
                  tls,
                  config.trustedNetworks(),
                  limiter,
                  new IngressPolicy(
                      spool,
                      policy::tenants,
                      policy::router,
                      config.refuseSuppressed() ? Optional.of(suppressions) : Optional.empty()),
                  new SpoolSink(
                      spool,
                      config.hostname(),
                      clock,
                      latency,
                      config.addMissingHeaders(),
                      () -> policy.current().configured().settings(),
                      delivery::submit,
                      events),
                  auth,
                  blocking));
      InetSocketAddress address = smtp.bind(workers);
      servers.add(smtp);
      bound.add(address);
      LOG.log(
          Level.INFO,
          "listener {0} ({1}) on {2}",
          listener.name(),
          listener.mode().name().toLowerCase(java.util.Locale.ROOT),
          address);
    }
    AdminToken token =
        AdminToken.load(
            Optional.ofNullable(System.getenv(AdminToken.ENV)),
            config.adminTokenFile(),
            dataDir.resolve("admin.token"));
    admin = AdminServer.bind(config.adminAddress(), adminRoutes(clock), token, boss, workers);
    LOG.log(
        Level.INFO,
        "admin API and dashboard on http://{0}:{1}/",
        admin.address().getHostString(),
        Integer.toString(admin.address().getPort()));
    if (config.routes().isPresent()) {
      watcher =
          RoutesWatcher.start(
              config.routes().get(),
              routes.bytes(),
              WATCH_QUIET,
              () -> policy.reload("file change"));
    }
    outbound.recover(recovered);
  }

  /** Every route of the admin server. */
  private AdminRoutes adminRoutes(Clock clock) {
    AdminRoutes routes = new AdminRoutes();
    HealthEndpoints.register(routes, this::readinessProblems);
    DashboardAssets.register(routes);
    Scheduler scheduler = outbound.scheduler();
    StatusEndpoints.register(routes, facts(), spool, scheduler, policy::current, clock);
    MemberViews views = new MemberViews(policy::current, scheduler, clock);
    PoolEndpoints.register(routes, views);
    QueueEndpoints.register(routes, scheduler, spool, policy::routes, clock);
    MessageEndpoints.register(routes, spool, scheduler, outbound.messageActions());
    SuppressionEndpoints.register(routes, suppressions, clock);
    RouteEndpoints.register(routes, policy::router, scheduler, clock);
    MemberTestEndpoints.register(
        routes, policy::router, outbound.agent(), config.hostname(), clock);
    OpenApiEndpoint.register(routes);
    ReloadEndpoint.register(routes, policy, blocking);
    MemberOverrideEndpoints.register(routes, policy, views, clock, blocking);
    EventEndpoints.register(routes, ring);
    MetricsEndpoint.register(routes, scrape::scrape);
    return routes;
  }

  /** Called once every listener is bound. */
  private StatusEndpoints.Facts facts() {
    List<StatusEndpoints.Listener> listeners = new ArrayList<>();
    for (int i = 0; i < bound.size(); i++) {
      ServerConfig.ListenerConfig l = config.listeners().get(i);
      InetSocketAddress a = bound.get(i);
      listeners.add(
          new StatusEndpoints.Listener(
              l.name(),
              l.mode().name().toLowerCase(java.util.Locale.ROOT),
              a.getAddress().getHostAddress() + ":" + a.getPort()));
    }
    return new StatusEndpoints.Facts(config.hostname(), startedAt, listeners);
  }

  private List<String> readinessProblems() {
    List<String> problems = new ArrayList<>();
    if (closing) {
      problems.add("shutting down");
    }
    if (!spool.writable()) {
      problems.add("the spool cannot write: new sessions get 421");
    } else if (!spool.healthy()) {
      problems.add("the spool is below its free-space threshold: MAIL FROM gets 452");
    }
    return problems;
  }

  private static void renewSelfSigned(ServerConfig config, Path dataDir, Clock clock) {
    if (config.tls().isEmpty()) {
      try {
        SelfSignedCertificate.ensure(dataDir.resolve("tls"), config.hostname(), clock);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot renew the self-signed certificate: {0}", e.getMessage());
      }
    }
  }

  private static SelfSignedCertificate.PemPair certificate(
      ServerConfig config, Path dataDir, Clock clock) throws IOException {
    if (config.tls().isPresent()) {
      return new SelfSignedCertificate.PemPair(
          config.tls().get().certificate(), config.tls().get().key());
    }
    Path dir = dataDir.resolve("tls");
    SelfSignedCertificate.PemPair pair =
        SelfSignedCertificate.ensure(dir, config.hostname(), clock);
    LOG.log(
        Level.WARNING,
        "NO TLS CERTIFICATE CONFIGURED: serving a SELF-SIGNED certificate for {0} from {1}; clients will not"
            + " trust it. Set tls.certificate and tls.key in sluice.yaml for production.",
        config.hostname(),
        pair.certificate());
    return pair;
  }

  /** Hard-bounced recipients are kept beside the spool, in the daemon's state directory. */
  private static Path suppressionFile(ServerConfig config) {
    Path spoolDir = config.spoolDir().toAbsolutePath();
    return spoolDir.resolveSibling("suppression.tsv");
  }

  /** Where the admin HTTP server listens. */
  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  /** Every route the admin server serves. */
  public List<dev.sluice.relay.admin.AdminRoutes.RouteInfo> adminRoutesServed() {
    return admin.routes();
  }

  /** The addresses the listeners are bound to, in configuration order. */
  public List<InetSocketAddress> addresses() {
    return List.copyOf(bound);
  }

  /** DATA-end→250 latency of every message accepted since start. */
  public IngressLatency latency() {
    return latency;
  }

  public Spool spool() {
    return spool;
  }

  /** The routing policy in force, and its reload. */
  public LivePolicy policy() {
    return policy;
  }

  /** The scheduler of outbound delivery. */
  public Scheduler scheduler() {
    return outbound.scheduler();
  }

  /**
   * Listeners first (421 to open sessions), then delivery (attempts in flight finish and are
   * written), then the admin server, which answers /readyz 503 until then, and the spool once no
   * store can be in flight.
   */
  @Override
  public void close() {
    closing = true;
    if (watcher != null) {
      watcher.close();
    }
    SmtpServer.closeAll(servers);
    if (outbound != null) {
      outbound.close();
    }
    if (admin != null) {
      admin.close();
    }
    workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    blocking.shutdownNow();
    try {
      spool.close();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "closing the spool: {0}", e.toString());
    }
    try {
      suppressions.close();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "closing the suppression list: {0}", e.toString());
    }
    webhooks.forEach(WebhookSink::close);
    if (ownsLog) {
      log.close();
    }
  }
}
