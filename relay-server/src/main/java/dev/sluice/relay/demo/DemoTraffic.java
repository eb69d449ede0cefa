package dev.sluice.relay.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's application: submits one small message every {@code 1/rate} seconds to Sluice's relay
 * listener over one plain SMTP connection (reopened after a failure), each to a new recipient, as a
 * signup or password-reset stream would.
 */
final class DemoTraffic implements AutoCloseable {
  private final InetSocketAddress relay;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sluice-demo-traffic");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  DemoTraffic(InetSocketAddress relay) {
    this.relay = relay;
  }

  /** Starts sending {@code perSecond} messages a second. */
  void start(int perSecond) {
    long period = Math.max(1, 1_000_000 / perSecond);
    timer.scheduleAtFixedRate(this::sendOne, 0, period, TimeUnit.MICROSECONDS);
  }

  /** Messages Sluice answered 250 to. */
  long sent() {
    return sent.get();
  }

  /** Messages Sluice did not take (connection or reply failure). */
  long failed() {
    return failed.get();
  }

  private void sendOne() {
    long n = sent.get() + failed.get() + 1;
    try {
      if (socket == null) {
        open();
      }
      command("MAIL FROM:<app@demo.example>", 250);
      command("RCPT TO:<user" + n + "@example.net>", 250);
      command("DATA", 354);
      command(
          "From: app@demo.example\r\nTo: user"
              + n
              + "@example.net\r\nSubject: Your code is "
              + (100000 + n % 900000)
              + "\r\nX-Mailer: sluice-demo\r\n\r\nHello from the Sluice demo.\r\n.",
          250);
      sent.incrementAndGet();
    } catch (IOException e) {
      failed.incrementAndGet();
      closeSocket();
    }
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.connect(relay, 5000);
    socket.setSoTimeout(30_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
    expect(220);
    command("EHLO demo-app.example", 250);
  }

  private void command(String line, int expected) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    expect(expected);
  }

  /** Reads one (possibly multiline) reply and checks its code. */
  private void expect(int code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed");
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (!line.startsWith(Integer.toString(code))) {
      throw new IOException("expected " + code + ", got: " + line);
    }
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Already broken; the next message opens a new connection.
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeSocket();
  }
}
