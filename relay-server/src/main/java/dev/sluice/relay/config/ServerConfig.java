package dev.sluice.relay.config;

import dev.sluice.relay.dkim.DkimKey;
import dev.sluice.relay.smtp.in.ListenerMode;
import dev.sluice.routing.net.Cidr;
import dev.sluice.routing.units.Rate;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole {@code sluice.yaml}, validated: listeners, trusted networks, TLS, spool, limits, admin,
 * DNS and where routes.yaml is. Paths are already resolved against the file's directory.
 *
 * @param dnsResolvers DNS servers as {@code host:port}, asked in order; empty for the system's
 * @param dnsTimeout how long one DNS query to one server may take before the next is asked
 * @param addMissingHeaders whether Message-ID and Date are added to messages that lack them
 * @param delivery how outbound mail is scheduled and sent
 * @param refuseSuppressed whether RCPT refuses (550 5.1.1) recipients on the tenant's suppression
 *     list
 * @param dkimKeys the DKIM signing keys, per sender domain and selector
 * @param cluster the Redis that nodes share traffic limits through; empty for in-process limits
 * @param logging how and where events and the daemon's records are written
 * @param webhooks the endpoints events are POSTed to
 * @param ioThreads the event loops that accept and serve every SMTP connection, in and out, and the
 *     admin server's ({@link #defaultIoThreads} when not set)
 */
public record ServerConfig(
    String hostname,
    List<ListenerConfig> listeners,
    List<Cidr> trustedNetworks,
    Optional<TlsFiles> tls,
    Path spoolDir,
    long spoolMinFreeBytes,
    long spoolSegmentBytes,
    IngressLimits limits,
    AuthThrottleConfig authThrottle,
    InetSocketAddress adminAddress,
    Optional<Path> adminTokenFile,
    List<String> dnsResolvers,
    Duration dnsTimeout,
    Optional<Path> routes,
    boolean addMissingHeaders,
    DeliveryConfig delivery,
    boolean refuseSuppressed,
    List<DkimKey> dkimKeys,
    Optional<ClusterConfig> cluster,
    LoggingConfig logging,
    List<WebhookConfig> webhooks,
    int ioThreads) {
  /** The {@code timeout} of {@code dns:} when it is not set. */
  public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(5);

  /** The most {@code io_threads} accepted. */
  public static final int MAX_IO_THREADS = 256;

  /**
   * {@code io_threads} when it is not set: two event loops per CPU. One per CPU costs less CPU a
   * message but leaves sessions waiting for a busy loop while a CPU idles (docs/benchmarks.md).
   */
  public static int defaultIoThreads() {
    return Math.min(MAX_IO_THREADS, 2 * Runtime.getRuntime().availableProcessors());
  }

  public ServerConfig {
    Objects.requireNonNull(hostname, "hostname");
    listeners = List.copyOf(listeners);
    trustedNetworks = List.copyOf(trustedNetworks);
    Objects.requireNonNull(spoolDir, "spoolDir");
    Objects.requireNonNull(limits, "limits");
    dnsResolvers = List.copyOf(dnsResolvers);
    Objects.requireNonNull(dnsTimeout, "dnsTimeout");
    Objects.requireNonNull(delivery, "delivery");
    dkimKeys = List.copyOf(dkimKeys);
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(logging, "logging");
    webhooks = List.copyOf(webhooks);
    if (ioThreads < 1 || ioThreads > MAX_IO_THREADS) {
      throw new IllegalArgumentException(
          "ioThreads must be 1-" + MAX_IO_THREADS + ": " + ioThreads);
    }
  }

  /** One SMTP listener. */
  public record ListenerConfig(String name, InetSocketAddress address, ListenerMode mode) {}

  /** PEM certificate chain and private key. */
  public record TlsFiles(Path certificate, Path key) {}

  /**
   * Protocol limits of every listener.
   *
   * @param connectionRatePerIp how fast one client address outside the trusted networks may open
   *     connections; empty for no limit
   * @param maxLineLength longest line of message text, without CRLF
   */
  public record IngressLimits(
      long maxMessageSize,
      int maxRecipients,
      int maxConnections,
      int maxConnectionsPerIp,
      Optional<Rate> connectionRatePerIp,
      int maxErrors,
      int maxLineLength,
      Duration commandTimeout,
      Duration dataTimeout) {
    /** RFC 5321 §4.5.3 values and a 50 MB message limit. */
    public static final IngressLimits DEFAULTS =
        new IngressLimits(
            50L << 20,
            1000,
            1000,
            50,
            Optional.empty(),
            10,
            998,
            Duration.ofMinutes(5),
            Duration.ofMinutes(3));

    public IngressLimits {
      Objects.requireNonNull(connectionRatePerIp, "connectionRatePerIp");
    }
  }

  /** Failed AUTH attempts per client IP before it is refused for {@code window}. */
  public record AuthThrottleConfig(int maxFailures, Duration window) {
    public static final AuthThrottleConfig DEFAULTS =
        new AuthThrottleConfig(5, Duration.ofMinutes(15));
  }
}
