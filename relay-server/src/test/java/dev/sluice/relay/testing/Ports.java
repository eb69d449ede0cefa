package dev.sluice.relay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Loopback ports for tests, never hard-coded. */
public final class Ports {
  /** Sockets holding the {@link #refusing} ports until the test JVM exits. */
  private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

  private Ports() {}

  /**
   * A loopback port that was free a moment ago: for a server the test starts there next, or for a
   * resolver nothing answers (UDP). Not for a TCP peer that must stay dead: a server bound to port
   * 0 later may be given the same port; use {@link #refusing} for that.
   */
  public static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A loopback TCP port that refuses every connection for as long as the tests run (a relay, a
   * host, a webhook receiver that is down): it is bound without listening, so the kernel answers a
   * SYN with RST, and held, so no server a test binds later, to it or to port 0, can take it.
   */
  public static int refusing() throws IOException {
    Socket s = new Socket();
    s.setReuseAddress(false);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    HELD.add(s);
    return s.getLocalPort();
  }
}
