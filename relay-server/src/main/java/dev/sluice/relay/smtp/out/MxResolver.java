package dev.sluice.relay.smtp.out;

import java.lang.System.Logger.Level;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds where mail for a domain goes: MX (RFC 5321 §5.1, RFC 7505), then A and AAAA of each host,
 * through dnsjava's asynchronous {@link SimpleResolver}s and a cache of its own.
 *
 * <ul>
 *   <li>Each query goes to the configured servers in order, one attempt per server with the
 *       per-query timeout; the next server is asked after a timeout, an I/O error, SERVFAIL,
 *       REFUSED, NOTIMP or FORMERR. Truncated UDP answers are retried over TCP by dnsjava.
 *   <li>Answers are cached per name and type for their TTL, clamped to [{@link #MIN_TTL}, {@link
 *       #MAX_TTL}]; NXDOMAIN and NODATA for the SOA's negative TTL (RFC 2308 §5), clamped the same
 *       way; failures (SERVFAIL, timeout) for {@link #MIN_TTL}, so a failing server is not
 *       hammered. Concurrent lookups of the same name and type share one query.
 *   <li>CNAME chains are followed, in the answer and by asking again for the target.
 *   <li>Null MX: when every MX target is the root ({@code 0 .}), {@link MxResult.NullMx}; a root
 *       target among real hosts is ignored.
 *   <li>At most {@link #MAX_MX_HOSTS} MX hosts (the most preferred) are resolved; a host whose name
 *       does not resolve is left out. When none is left: {@link MxResult.NoSuchDomain} if every
 *       host is NXDOMAIN or has neither A nor AAAA (a permanent error in the domain's DNS, bounced
 *       as Postfix does), {@link MxResult.TempFailure} if any failed for now.
 *   <li>An MX target that is an IP literal (against RFC 5321 §5.1, but it happens) is used as that
 *       address, as sendmail does; an MX pointing at the domain itself is an ordinary host.
 * </ul>
 *
 * <p>Thread-safe. Futures complete on dnsjava's executor (the common fork-join pool) or, from the
 * cache, on the caller's thread; the caller's thread never waits for the network.
 */
public final class MxResolver {
  /** The shortest time an answer (or a failure) is cached. */
  public static final Duration MIN_TTL = Duration.ofSeconds(5);

  /** The longest time an answer is cached, whatever its TTL. */
  public static final Duration MAX_TTL = Duration.ofHours(1);

  /** The number of MX hosts resolved per domain, most preferred first. */
  public static final int MAX_MX_HOSTS = 16;

  private static final System.Logger LOG = System.getLogger(MxResolver.class.getName());
  private static final int DNS_PORT = 53;
  private static final int MAX_CNAME_HOPS = 8;
  private static final int MIN_SWEEP_SIZE = 1024;

  static {
    // dnsjava closes its network client in a JVM shutdown hook of its own unless told not to; that
    // hook runs beside Sluice's and fails every lookup of the attempts still finishing in the
    // shutdown grace ("Client is closing"). The property is read when the client starts, at the
    // first query, which comes after this class is initialized. Nothing closes the client then:
    // its threads are daemon threads that end with the JVM, and NioClient.close() is no help at
    // a stop (inside a shutdown hook it fails to remove its hook and logs a warning each time).
    System.setProperty("dnsjava.nio.register_shutdown_hook", "false");
  }

  private final List<Resolver> servers;
  private final Clock clock;
  private final RandomGenerator random;
  private final ConcurrentHashMap<Question, CompletableFuture<Answer>> cache =
      new ConcurrentHashMap<>();
  private volatile int sweepAtSize = MIN_SWEEP_SIZE;

  /**
   * @param resolvers DNS servers as {@code host:port}, {@code host} (port 53) or {@code
   *     [ipv6]:port}, asked in this order; empty for the system's resolvers (dnsjava's {@link
   *     ResolverConfig})
   * @param clock the time for the cache
   * @param timeout how long one query to one server may take
   * @throws IllegalArgumentException when a server address cannot be parsed
   */
  public MxResolver(List<String> resolvers, Clock clock, Duration timeout) {
    this(resolvers, clock, timeout, () -> ThreadLocalRandom.current().nextLong());
  }

  /**
   * As {@link #MxResolver(List, Clock, Duration)}, with the randomness that orders MX hosts of
   * equal preference; it is used under a lock, so it need not be thread-safe.
   */
  public MxResolver(List<String> resolvers, Clock clock, Duration timeout, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
    }
    List<InetSocketAddress> addresses =
        resolvers.isEmpty()
            ? ResolverConfig.getCurrentConfig().servers()
            : resolvers.stream().map(MxResolver::parseServer).toList();
    if (addresses.isEmpty()) {
      addresses = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), DNS_PORT));
    }
    List<Resolver> list = new ArrayList<>();
    for (InetSocketAddress address : addresses) {
      SimpleResolver resolver = new SimpleResolver(address);
      resolver.setTimeout(timeout);
      list.add(resolver);
    }
    this.servers = List.copyOf(list);
  }

  /**
   * Where mail for {@code domain} goes. U-labels are converted to A-labels first; an address
   * literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}) is returned as an implicit host
   * without a query. Never fails: every failure is an {@link MxResult}.
   */
  public CompletableFuture<MxResult> resolveMx(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (domain.startsWith("[") && domain.endsWith("]")) {
      return CompletableFuture.completedFuture(
          ipLiteral(domain)
              .<MxResult>map(a -> new MxResult.Hosts(List.of(literalHost(domain, a)), true))
              .orElseGet(() -> new MxResult.NoSuchDomain("invalid address literal " + domain)));
    }
    Optional<Name> name = toName(domain);
    if (name.isEmpty()) {
      return CompletableFuture.completedFuture(
          new MxResult.NoSuchDomain("invalid domain name " + domain));
    }
    return guarded(
        domain, query(name.get(), Type.MX).thenCompose(answer -> fromMx(name.get(), answer)));
  }

  /**
   * A and AAAA of one host (a relay host), as a one-host {@link MxResult.Hosts} with preference 0.
   * An IP literal (bracketed or not) is returned as it is without a query. Never fails: every
   * failure is an {@link MxResult}.
   */
  public CompletableFuture<MxResult> resolveHost(String hostName) {
    Objects.requireNonNull(hostName, "hostName");
    Optional<InetAddress> literal = ipLiteral(hostName);
    if (literal.isPresent()) {
      return CompletableFuture.completedFuture(
          new MxResult.Hosts(List.of(literalHost(hostName, literal.get())), false));
    }
    Optional<Name> name = toName(hostName);
    if (name.isEmpty()) {
      return CompletableFuture.completedFuture(
          new MxResult.NoSuchDomain("invalid host name " + hostName));
    }
    String host = display(name.get());
    return guarded(
        hostName,
        addressesOf(name.get())
            .thenApply(
                found ->
                    switch (found.status()) {
                      case FOUND ->
                          new MxResult.Hosts(
                              List.of(new MxHost(host, 0, found.addresses())), false);
                      case NXDOMAIN ->
                          new MxResult.NoSuchDomain(host + ": no such host (NXDOMAIN)");
                      case NO_ADDRESS ->
                          new MxResult.NoSuchDomain(host + " has no address (A/AAAA)");
                      case FAILED ->
                          new MxResult.TempFailure(
                              "A/AAAA lookup for " + host + " failed: " + found.detail());
                    }));
  }

  private CompletableFuture<MxResult> fromMx(Name domain, Answer answer) {
    String name = display(domain);
    if (answer instanceof Answer.Failed failed) {
      return done(
          new MxResult.TempFailure("MX lookup for " + name + " failed: " + failed.detail()));
    }
    if (answer instanceof Answer.NxDomain) {
      return done(new MxResult.NoSuchDomain(name + ": no such domain (NXDOMAIN)"));
    }
    List<MXRecord> records = ((Answer.Records) answer).records(MXRecord.class);
    if (records.isEmpty()) {
      return implicitMx(domain);
    }
    List<MXRecord> real = records.stream().filter(mx -> !mx.getTarget().equals(Name.root)).toList();
    if (real.isEmpty()) {
      return done(new MxResult.NullMx()); // RFC 7505 §3
    }
    List<MXRecord> chosen = inPreferenceOrder(real);
    List<CompletableFuture<HostAddresses>> lookups =
        chosen.stream().map(mx -> addressesOfMxTarget(mx.getTarget())).toList();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture<?>[]::new))
        .thenApply(
            ignored -> fromHosts(name, chosen, lookups.stream().map(f -> f.join()).toList()));
  }

  // RFC 5321 §5.1: no MX means the domain itself is the host, with preference 0.
  private CompletableFuture<MxResult> implicitMx(Name domain) {
    String name = display(domain);
    return addressesOf(domain)
        .thenApply(
            found ->
                switch (found.status()) {
                  case FOUND ->
                      new MxResult.Hosts(List.of(new MxHost(name, 0, found.addresses())), true);
                  case NXDOMAIN -> new MxResult.NoSuchDomain(name + ": no such domain (NXDOMAIN)");
                  case NO_ADDRESS ->
                      new MxResult.NoSuchDomain(name + ": no MX and no address (A/AAAA)");
                  case FAILED ->
                      new MxResult.TempFailure(
                          "no MX for " + name + "; A/AAAA lookup failed: " + found.detail());
                });
  }

  private static MxResult fromHosts(String domain, List<MXRecord> mxs, List<HostAddresses> found) {
    List<MxHost> hosts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean temporary = false;
    for (int i = 0; i < mxs.size(); i++) {
      MXRecord mx = mxs.get(i);
      HostAddresses addresses = found.get(i);
      String host = display(mx.getTarget());
      switch (addresses.status()) {
        case FOUND -> hosts.add(new MxHost(host, mx.getPriority(), addresses.addresses()));
        case NXDOMAIN -> problems.add(host + " (NXDOMAIN)");
        case NO_ADDRESS -> problems.add(host + " (no A/AAAA)");
        case FAILED -> {
          temporary = true;
          problems.add(host + " (" + addresses.detail() + ")");
        }
      }
    }
    if (!hosts.isEmpty()) {
      if (!problems.isEmpty()) {
        LOG.log(Level.DEBUG, "MX hosts of {0} left out: {1}", domain, String.join(", ", problems));
      }
      return new MxResult.Hosts(hosts, false);
    }
    String detail = String.join(", ", problems);
    return temporary
        ? new MxResult.TempFailure("no MX host of " + domain + " resolves now: " + detail)
        : new MxResult.NoSuchDomain("no MX host of " + domain + " has an address: " + detail);
  }

  /**
   * Lowest preference first, each target once, equal preferences shuffled (RFC 5321 §5.1), cut to
   * {@link #MAX_MX_HOSTS}.
   */
  private List<MXRecord> inPreferenceOrder(List<MXRecord> records) {
    List<MXRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingInt(MXRecord::getPriority));
    Set<Name> seen = new HashSet<>();
    sorted.removeIf(mx -> !seen.add(mx.getTarget()));
    synchronized (random) {
      int start = 0;
      while (start < sorted.size()) {
        int end = start + 1;
        while (end < sorted.size()
            && sorted.get(end).getPriority() == sorted.get(start).getPriority()) {
          end++;
        }
        for (int i = end - 1; i > start; i--) { // Fisher–Yates within [start, end)
          int j = start + random.nextInt(i - start + 1);
          sorted.set(j, sorted.set(i, sorted.get(j)));
        }
        start = end;
      }
    }
    return List.copyOf(sorted.size() > MAX_MX_HOSTS ? sorted.subList(0, MAX_MX_HOSTS) : sorted);
  }

  private CompletableFuture<HostAddresses> addressesOfMxTarget(Name target) {
    Optional<InetAddress> literal = ipLiteral(display(target));
    if (literal.isPresent()) {
      return done(HostAddresses.found(List.of(literal.get())));
    }
    return addressesOf(target);
  }

  /** A and AAAA of {@code host}, asked together; IPv4 addresses first. */
  private CompletableFuture<HostAddresses> addressesOf(Name host) {
    CompletableFuture<Answer> a = query(host, Type.A);
    CompletableFuture<Answer> aaaa = query(host, Type.AAAA);
    return a.thenCombine(aaaa, MxResolver::combine);
  }

  private static HostAddresses combine(Answer a, Answer aaaa) {
    List<InetAddress> addresses = new ArrayList<>();
    if (a instanceof Answer.Records records) {
      records.records(ARecord.class).forEach(r -> addresses.add(r.getAddress()));
    }
    if (aaaa instanceof Answer.Records records) {
      records.records(AAAARecord.class).forEach(r -> addresses.add(r.getAddress()));
    }
    if (!addresses.isEmpty()) {
      return HostAddresses.found(addresses);
    }
    if (a instanceof Answer.Failed failed) {
      return new HostAddresses(List.of(), HostStatus.FAILED, failed.detail());
    }
    if (aaaa instanceof Answer.Failed failed) {
      return new HostAddresses(List.of(), HostStatus.FAILED, failed.detail());
    }
    if (a instanceof Answer.NxDomain || aaaa instanceof Answer.NxDomain) {
      return new HostAddresses(List.of(), HostStatus.NXDOMAIN, "NXDOMAIN");
    }
    return new HostAddresses(List.of(), HostStatus.NO_ADDRESS, "no A/AAAA");
  }

  /** The cached answer for {@code name}/{@code type}, or the one query in flight for it. */
  private CompletableFuture<Answer> query(Name name, int type) {
    Question question = new Question(name, type);
    Instant now = clock.instant();
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> shared =
        cache.compute(question, (q, old) -> old != null && !expired(old, now) ? old : mine);
    if (shared == mine) {
      sweepIfLarge(now);
      ask(question, 0)
          .whenComplete(
              (answer, e) ->
                  mine.complete(e == null ? answer : failed(describe(e), clock.instant())));
    }
    return shared;
  }

  /** Sends {@code question} (bypassing the cache) and interprets the response. */
  private CompletableFuture<Answer> ask(Question question, int hops) {
    return send(question, 0)
        .handle(
            (response, e) -> {
              if (e != null) {
                String detail = describe(e);
                LOG.log(Level.DEBUG, "DNS query {0} failed: {1}", question, detail);
                return done(failed(detail, clock.instant()));
              }
              return interpret(question, response, hops);
            })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Message> send(Question question, int server) {
    Message query = Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN));
    CompletableFuture<Message> sent;
    try {
      sent = servers.get(server).sendAsync(query).toCompletableFuture();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (server == servers.size() - 1) {
      return sent;
    }
    return sent.handle(
            (response, e) ->
                e == null && !worthAnotherServer(response.getRcode())
                    ? CompletableFuture.completedFuture(response)
                    : send(question, server + 1))
        .thenCompose(Function.identity());
  }

  private static boolean worthAnotherServer(int rcode) {
    return rcode == Rcode.SERVFAIL
        || rcode == Rcode.REFUSED
        || rcode == Rcode.NOTIMP
        || rcode == Rcode.FORMERR;
  }

  private CompletableFuture<Answer> interpret(Question question, Message response, int hops) {
    Instant now = clock.instant();
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      LOG.log(Level.DEBUG, "DNS query {0} failed: {1}", question, Rcode.string(rcode));
      return done(failed(Rcode.string(rcode), now));
    }
    List<Record> answers = response.getSection(Section.ANSWER);
    Name current = question.name();
    long ttl = Long.MAX_VALUE;
    for (int followed = 0; ; followed++) {
      List<Record> found = new ArrayList<>();
      CNAMERecord cname = null;
      for (Record r : answers) {
        if (r.getName().equals(current)) {
          if (r.getType() == question.type()) {
            found.add(r);
          } else if (r instanceof CNAMERecord c) {
            cname = c;
          }
        }
      }
      if (!found.isEmpty()) {
        for (Record r : found) {
          ttl = Math.min(ttl, r.getTTL());
        }
        return done(new Answer.Records(found, expiry(ttl, now)));
      }
      if (cname == null) {
        break;
      }
      if (hops + followed >= MAX_CNAME_HOPS) {
        return done(failed("CNAME chain longer than " + MAX_CNAME_HOPS, now));
      }
      current = cname.getTarget();
      ttl = Math.min(ttl, cname.getTTL());
    }
    long negativeTtl = Math.min(ttl, negativeTtl(response));
    if (rcode == Rcode.NXDOMAIN) {
      return done(new Answer.NxDomain(expiry(negativeTtl, now)));
    }
    if (!current.equals(question.name()) && !hasSoa(response)) {
      // The chain leaves what this server answered for: ask for its target.
      if (hops >= MAX_CNAME_HOPS) {
        return done(failed("CNAME chain longer than " + MAX_CNAME_HOPS, now));
      }
      Instant chainExpiry = expiry(ttl, now);
      return ask(new Question(current, question.type()), hops + 1)
          .thenApply(target -> target.expiringBy(chainExpiry));
    }
    return done(new Answer.Records(List.of(), expiry(negativeTtl, now)));
  }

  // RFC 2308 §5: a negative answer lives for min(SOA TTL, SOA MINIMUM).
  private static long negativeTtl(Message response) {
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return Math.min(soa.getTTL(), soa.getMinimum());
      }
    }
    return 0; // no SOA: not to be cached (RFC 2308 §5), so only for the floor
  }

  private static boolean hasSoa(Message response) {
    return response.getSection(Section.AUTHORITY).stream().anyMatch(r -> r instanceof SOARecord);
  }

  private Instant expiry(long ttlSeconds, Instant now) {
    Duration ttl = Duration.ofSeconds(Math.max(0, Math.min(ttlSeconds, MAX_TTL.toSeconds())));
    return now.plus(ttl.compareTo(MIN_TTL) < 0 ? MIN_TTL : ttl);
  }

  private static Answer failed(String detail, Instant now) {
    return new Answer.Failed(detail, now.plus(MIN_TTL));
  }

  private static boolean expired(CompletableFuture<Answer> entry, Instant now) {
    Answer answer = entry.getNow(null);
    return answer != null && !answer.expires().isAfter(now);
  }

  private void sweepIfLarge(Instant now) {
    if (cache.size() > sweepAtSize) {
      cache.values().removeIf(entry -> expired(entry, now));
      sweepAtSize = Math.max(MIN_SWEEP_SIZE, cache.size() * 2);
    }
  }

  private CompletableFuture<MxResult> guarded(String name, CompletableFuture<MxResult> result) {
    return result.exceptionally(
        e -> {
          LOG.log(Level.WARNING, "DNS resolution of " + name + " failed unexpectedly", e);
          return new MxResult.TempFailure("DNS resolution of " + name + " failed: " + describe(e));
        });
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
      return "timeout";
    }
    return cause.getMessage() == null
        ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** The absolute DNS name of a domain or host, in A-labels; empty when it is not one. */
  private static Optional<Name> toName(String domain) {
    String trimmed = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    try {
      String ascii = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      return Optional.of(Name.fromString(ascii, Name.root));
    } catch (IllegalArgumentException | TextParseException e) {
      return Optional.empty();
    }
  }

  /** {@code 192.0.2.1}, {@code 2001:db8::1}, {@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}. */
  private static Optional<InetAddress> ipLiteral(String text) {
    String s = unbracketed(text);
    byte[] bytes = Address.toByteArray(s, Address.IPv4);
    if (bytes == null) {
      bytes = Address.toByteArray(s, Address.IPv6);
    }
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      return Optional.empty(); // only for a wrong length, which toByteArray never returns
    }
  }

  /**
   * {@code 192.0.2.1} from {@code [192.0.2.1]}, {@code 2001:db8::1} from {@code
   * [IPv6:2001:db8::1]}.
   */
  private static String unbracketed(String text) {
    if (!text.startsWith("[") || !text.endsWith("]")) {
      return text;
    }
    String s = text.substring(1, text.length() - 1);
    return s.regionMatches(true, 0, "IPv6:", 0, 5) ? s.substring(5) : s;
  }

  /** A host named as it was written, without brackets, with its one address. */
  private static MxHost literalHost(String text, InetAddress address) {
    return new MxHost(unbracketed(text), 0, List.of(address));
  }

  private static String display(Name name) {
    return name.toString(true);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  static InetSocketAddress parseServer(String server) {
    String host = server.strip();
    int port = DNS_PORT;
    String portText = null;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0 || (end + 1 < host.length() && host.charAt(end + 1) != ':')) {
        throw new IllegalArgumentException("bad DNS server address: " + server);
      }
      portText = end + 1 < host.length() ? host.substring(end + 2) : null;
      host = host.substring(1, end);
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      portText = host.substring(host.indexOf(':') + 1);
      host = host.substring(0, host.indexOf(':'));
    }
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in DNS server address: " + server, e);
      }
    }
    if (host.isEmpty() || port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("bad DNS server address: " + server);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("unknown DNS server host: " + server);
    }
    return address;
  }

  private record Question(Name name, int type) {
    @Override
    public String toString() {
      return display(name) + "/" + Type.string(type);
    }
  }

  /** What one query said, and until when it may be reused. */
  private sealed interface Answer {
    Instant expires();

    /** The same answer, reused no later than {@code limit}. */
    Answer expiringBy(Instant limit);

    /** Records of the type asked (after CNAMEs); empty for NODATA. */
    record Records(List<Record> records, Instant expires) implements Answer {
      <R extends Record> List<R> records(Class<R> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
      }

      @Override
      public Answer expiringBy(Instant limit) {
        return new Records(records, expires.isAfter(limit) ? limit : expires);
      }
    }

    record NxDomain(Instant expires) implements Answer {
      @Override
      public Answer expiringBy(Instant limit) {
        return new NxDomain(expires.isAfter(limit) ? limit : expires);
      }
    }

    /** SERVFAIL, REFUSED, a timeout or an I/O error. */
    record Failed(String detail, Instant expires) implements Answer {
      @Override
      public Answer expiringBy(Instant limit) {
        return new Failed(detail, expires.isAfter(limit) ? limit : expires);
      }
    }
  }

  private enum HostStatus {
    FOUND,
    NXDOMAIN,
    NO_ADDRESS,
    FAILED
  }

  private record HostAddresses(List<InetAddress> addresses, HostStatus status, String detail) {
    static HostAddresses found(List<InetAddress> addresses) {
      return new HostAddresses(List.copyOf(addresses), HostStatus.FOUND, "");
    }
  }
}
