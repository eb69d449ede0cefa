package dev.sluice.relay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for tests, never hard-coded. */
public final class Ports {
  private Ports() {}

  /**
   * A loopback port that was free a moment ago: for a server the test starts there next, or as a
   * place where nothing listens (a dead resolver, a refused relay).
   */
  public static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
