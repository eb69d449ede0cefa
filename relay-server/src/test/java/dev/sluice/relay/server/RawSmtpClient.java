package dev.sluice.relay.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare socket for the cases no well-behaved client would produce: trickled bytes, floods. */
final class RawSmtpClient implements AutoCloseable {
  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;

  RawSmtpClient(int port) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One reply line (without CRLF), or null when the server closed the connection. */
  String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toString().stripTrailing();
      }
      line.append((char) b);
    }
    return line.length() == 0 ? null : line.toString();
  }

  /**
   * Sends one byte at a time, waiting up to {@code gapMillis} for the server between bytes; returns
   * what the server said meanwhile, or null if it never spoke.
   */
  String trickle(String text, int gapMillis) throws IOException {
    socket.setSoTimeout(gapMillis);
    try {
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        out.write(b);
        out.flush();
        try {
          String reply = readLine();
          if (reply != null) {
            return reply;
          }
        } catch (SocketTimeoutException e) {
          // the pause between two bytes: nothing said yet
        }
      }
      return null;
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
