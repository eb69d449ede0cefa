package dev.sluice.relay.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A bare socket for the cases no well-behaved client would produce: trickled bytes, floods, bytes
 * no SMTP library would send. It can connect from any loopback address and speak implicit TLS.
 */
public final class RawSmtpClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Connects from 127.0.0.1 to 127.0.0.1:{@code port}. */
  public RawSmtpClient(int port) throws IOException {
    this(plain("127.0.0.1", port));
  }

  private RawSmtpClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:{@code port} from {@code localAddress} (any 127.0.0.0/8 address). */
  public static RawSmtpClient from(String localAddress, int port) throws IOException {
    return new RawSmtpClient(plain(localAddress, port));
  }

  /**
   * Connects from {@code localAddress} with TLS from the first byte (a submissions listener),
   * trusting only the PEM certificate {@code trusted}; returns once the handshake is done.
   */
  public static RawSmtpClient overTls(String localAddress, int port, Path trusted)
      throws IOException, GeneralSecurityException {
    SSLContext context = trusting(trusted);
    Socket tcp = plain(localAddress, port);
    SSLSocket tls =
        (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
    tls.startHandshake();
    return new RawSmtpClient(tls);
  }

  /** A client TLS context that trusts exactly the certificate in the PEM file {@code pem}. */
  public static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      store.setCertificateEntry(
          "sluice", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static Socket plain(String localAddress, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  public void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Sends bytes exactly as given: NUL, 8-bit and stray CR or LF included. */
  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The lines of one whole reply (a multi-line one ends at "NNN "), or empty at end of stream. */
  public List<String> readReply() throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = readLine()) != null) {
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        break;
      }
    }
    return lines;
  }

  /** One reply line (without CRLF), or null when the server closed the connection. */
  public String readLine() throws IOException {
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
  public String trickle(String text, int gapMillis) throws IOException {
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
