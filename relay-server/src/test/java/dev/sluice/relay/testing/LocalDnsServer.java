package dev.sluice.relay.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server for tests, on 127.0.0.1 with UDP and TCP on one free port, answering
 * from records added in code:
 *
 * <pre>{@code
 * try (LocalDnsServer dns = LocalDnsServer.start()) {
 *   dns.mx("example.net", 10, "mx1.example.net").a("mx1.example.net", "127.0.0.9");
 *   MxResolver resolver = new MxResolver(List.of(dns.address()), clock, Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>A name with records of another type answers NODATA; a name without records (and without names
 * below it) answers NXDOMAIN; both carry an SOA whose TTL and MINIMUM are the negative TTL. CNAMEs
 * are followed inside the server's data, as an authoritative server does for its own zone. UDP
 * answers larger than the client's EDNS size (512 without EDNS) are truncated (TC), and the client
 * retries over TCP; {@link #truncateUdp()} truncates every UDP answer. Every query received, over
 * UDP or TCP, is counted. Thread-safe.
 */
public final class LocalDnsServer implements AutoCloseable {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
  private final Set<Name> silent = ConcurrentHashMap.newKeySet();
  private final Set<Name> held = ConcurrentHashMap.newKeySet();
  private final List<Runnable> heldAnswers = new ArrayList<>();
  private final Map<Name, Integer> counts = new HashMap<>();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile Duration negativeTtl = Duration.ofMinutes(1);
  private volatile boolean truncateUdp;
  private volatile boolean closed;

  private LocalDnsServer(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
  }

  /** Binds UDP and TCP on the same free port of 127.0.0.1 and starts answering. */
  public static LocalDnsServer start() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
      ServerSocket tcp = new ServerSocket();
      try {
        tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
      } catch (IOException e) { // the TCP port of that number is taken: try another
        last = e;
        udp.close();
        tcp.close();
        continue;
      }
      LocalDnsServer server = new LocalDnsServer(udp, tcp);
      server.startThreads();
      return server;
    }
    throw last;
  }

  /** The port, the same for UDP and TCP. */
  public int port() {
    return udp.getLocalPort();
  }

  /** {@code 127.0.0.1:port}, as {@code MxResolver} takes it. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  public LocalDnsServer mx(String name, int preference, String target) {
    return mx(name, preference, target, DEFAULT_TTL);
  }

  public LocalDnsServer mx(String name, int preference, String target, Duration ttl) {
    return add(new MXRecord(name(name), DClass.IN, ttl.toSeconds(), preference, name(target)));
  }

  /** RFC 7505: the single record {@code 0 .}. */
  public LocalDnsServer nullMx(String name) {
    return add(new MXRecord(name(name), DClass.IN, DEFAULT_TTL.toSeconds(), 0, Name.root));
  }

  public LocalDnsServer a(String name, String address) {
    return a(name, address, DEFAULT_TTL);
  }

  public LocalDnsServer a(String name, String address, Duration ttl) {
    return add(new ARecord(name(name), DClass.IN, ttl.toSeconds(), ip(address, Address.IPv4)));
  }

  public LocalDnsServer aaaa(String name, String address) {
    return aaaa(name, address, DEFAULT_TTL);
  }

  public LocalDnsServer aaaa(String name, String address, Duration ttl) {
    return add(new AAAARecord(name(name), DClass.IN, ttl.toSeconds(), ip(address, Address.IPv6)));
  }

  public LocalDnsServer cname(String name, String target) {
    return cname(name, target, DEFAULT_TTL);
  }

  public LocalDnsServer cname(String name, String target, Duration ttl) {
    return add(new CNAMERecord(name(name), DClass.IN, ttl.toSeconds(), name(target)));
  }

  public LocalDnsServer txt(String name, String text) {
    return add(new TXTRecord(name(name), DClass.IN, DEFAULT_TTL.toSeconds(), text));
  }

  /** Forgets every record of {@code name}: it answers NXDOMAIN, as every unknown name does. */
  public LocalDnsServer nxdomain(String name) {
    records.remove(name(name));
    return this;
  }

  /** Queries for {@code name} (any type) are answered SERVFAIL. */
  public LocalDnsServer servfail(String name) {
    servfail.add(name(name));
    return this;
  }

  /** Queries for {@code name} (any type) are never answered, over UDP or TCP. */
  public LocalDnsServer silent(String name) {
    silent.add(name(name));
    return this;
  }

  /** Queries for {@code name} are answered from its records again: undoes servfail and silent. */
  public LocalDnsServer heal(String name) {
    servfail.remove(name(name));
    silent.remove(name(name));
    return this;
  }

  /** Answers for {@code name} wait until {@link #release()}. */
  public LocalDnsServer hold(String name) {
    held.add(name(name));
    return this;
  }

  /** Sends every held answer, and answers at once from now on. */
  public void release() {
    List<Runnable> pending;
    synchronized (heldAnswers) {
      held.clear();
      pending = List.copyOf(heldAnswers);
      heldAnswers.clear();
    }
    pending.forEach(Runnable::run);
  }

  /** TTL and MINIMUM of the SOA sent with NXDOMAIN and NODATA answers (RFC 2308). */
  public LocalDnsServer negativeTtl(Duration ttl) {
    negativeTtl = ttl;
    return this;
  }

  /** Every UDP answer from now on is truncated (TC, no records): clients must ask over TCP. */
  public LocalDnsServer truncateUdp() {
    truncateUdp = true;
    return this;
  }

  /** How many queries (any type, UDP and TCP) were received for {@code name}. */
  public int queryCount(String name) {
    synchronized (counts) {
      return counts.getOrDefault(name(name), 0);
    }
  }

  /** How many queries were received for any name. */
  public int totalQueries() {
    synchronized (counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Waits until {@code count} queries for {@code name} arrived; false when {@code timeout} ends.
   */
  public boolean awaitQueries(String name, int count, Duration timeout)
      throws InterruptedException {
    Name key = name(name);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (counts) {
      while (counts.getOrDefault(key, 0) < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        counts.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing: nothing left to do with it
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing left to do with it
      }
    }
  }

  private LocalDnsServer add(Record record) {
    records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    return this;
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text.toLowerCase(Locale.ROOT), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetAddress ip(String text, int family) {
    byte[] bytes = Address.toByteArray(text, family);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startThreads() {
    Thread udpThread = new Thread(this::serveUdp, "local-dns-udp-" + port());
    udpThread.setDaemon(true);
    udpThread.start();
    Thread tcpThread = new Thread(this::acceptTcp, "local-dns-tcp-" + port());
    tcpThread.setDaemon(true);
    tcpThread.start();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        return; // closed
      }
      Message query;
      try {
        query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
      } catch (IOException e) {
        continue; // not DNS: ignore, as a server would
      }
      InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
      answer(query, response -> sendUdp(query, response, client));
    }
  }

  private void sendUdp(Message query, Message response, InetSocketAddress client) {
    byte[] wire;
    if (truncateUdp) {
      Message truncated = new Message(query.getHeader().getID());
      truncated.getHeader().setFlag(Flags.QR);
      truncated.getHeader().setFlag(Flags.AA);
      truncated.getHeader().setFlag(Flags.TC);
      truncated.addRecord(query.getQuestion(), Section.QUESTION);
      wire = truncated.toWire();
    } else {
      OPTRecord opt = query.getOPT();
      wire = response.toWire(opt == null ? 512 : Math.max(512, opt.getPayloadSize()));
    }
    try {
      udp.send(new DatagramPacket(wire, wire.length, client));
    } catch (IOException e) {
      // the socket is closed: the test is over
    }
  }

  private void acceptTcp() {
    while (!closed) {
      Socket socket;
      try {
        socket = tcp.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.add(socket);
      Thread t = new Thread(() -> serveTcp(socket), "local-dns-tcp-conn-" + port());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serveTcp(Socket socket) {
    try (socket;
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
      while (!closed) {
        byte[] bytes = new byte[in.readUnsignedShort()]; // RFC 1035 §4.2.2: length prefix
        in.readFully(bytes);
        Message query = new Message(bytes);
        answer(
            query,
            response -> {
              byte[] wire = response.toWire();
              synchronized (out) {
                try {
                  out.writeShort(wire.length);
                  out.write(wire);
                  out.flush();
                } catch (IOException e) {
                  // the client went away
                }
              }
            });
      }
    } catch (EOFException | SocketException e) {
      // the client closed the connection, or the server is closing
    } catch (IOException e) {
      // malformed input: drop the connection, as a server would
    } finally {
      connections.remove(socket);
    }
  }

  private void answer(Message query, Consumer<Message> reply) {
    Record question = query.getQuestion();
    if (question == null) {
      return;
    }
    Name qname = question.getName();
    synchronized (counts) {
      counts.merge(qname, 1, Integer::sum);
      counts.notifyAll();
    }
    if (silent.contains(qname)) {
      return;
    }
    Message response = respond(query, question);
    synchronized (heldAnswers) {
      if (held.contains(qname)) {
        heldAnswers.add(() -> reply.accept(response));
        return;
      }
    }
    reply.accept(response);
  }

  private Message respond(Message query, Record question) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
      response.getHeader().setFlag(Flags.RA);
    }
    response.addRecord(question, Section.QUESTION);
    Name name = question.getName();
    int type = question.getType();
    if (servfail.contains(name)) {
      response.getHeader().setRcode(Rcode.SERVFAIL);
      return response;
    }
    for (int hops = 0; hops < 16; hops++) {
      List<Record> owned = records.getOrDefault(name, List.of());
      if (owned.isEmpty() && !hasNamesBelow(name)) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa(), Section.AUTHORITY);
        return response;
      }
      Record cname = null;
      boolean found = false;
      for (Record r : owned) {
        if (r.getType() == type || type == Type.ANY) {
          response.addRecord(r, Section.ANSWER);
          found = true;
        } else if (r.getType() == Type.CNAME) {
          cname = r;
        }
      }
      if (found) {
        return response;
      }
      if (cname == null) {
        break;
      }
      response.addRecord(cname, Section.ANSWER);
      name = ((CNAMERecord) cname).getTarget();
    }
    response.addRecord(soa(), Section.AUTHORITY); // NODATA (RFC 2308 §2.2)
    return response;
  }

  private boolean hasNamesBelow(Name name) {
    return records.keySet().stream().anyMatch(n -> !n.equals(name) && n.subdomain(name));
  }

  private SOARecord soa() {
    long ttl = negativeTtl.toSeconds();
    return new SOARecord(
        Name.root,
        DClass.IN,
        ttl,
        name("ns.test"),
        name("hostmaster.test"),
        1,
        3600,
        600,
        86400,
        ttl);
  }
}
