package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.TestCertificates;
import dev.sluice.relay.testing.TestCertificates.TestCertificate;
import dev.sluice.routing.config.TlsMode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2011-0411 from the client's side: a server (or a man in the middle) that sends extra replies
 * in plaintext after its 220 to STARTTLS must not have them read as answers inside TLS. A raw
 * socket peer, since no well-behaved server can be told to misbehave this way.
 */
class StartTlsInjectionTest {
  @TempDir Path dir;

  @Test
  void repliesInjectedAfterTheStartTls220AreDiscarded() throws Exception {
    TestCertificate cert = TestCertificates.create(dir, "mx.test");
    List<String> heard = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.9"))) {
      CompletableFuture<Void> peer =
          CompletableFuture.runAsync(
              () -> {
                try (Socket plain = listener.accept()) {
                  OutputStream out = plain.getOutputStream();
                  InputStream in = plain.getInputStream();
                  write(out, "220 raw.test ESMTP\r\n");
                  heard.add(readLine(in));
                  write(out, "250-raw.test\r\n250 STARTTLS\r\n");
                  heard.add(readLine(in));
                  write(out, "220 go ahead\r\n250 injected\r\n"); // one write, as the attack does
                  SSLSocket tls =
                      (SSLSocket)
                          cert.server()
                              .getSocketFactory()
                              .createSocket(plain, "127.0.0.9", plain.getPort(), true);
                  tls.setUseClientMode(false);
                  tls.startHandshake();
                  OutputStream tout = tls.getOutputStream();
                  InputStream tin = tls.getInputStream();
                  heard.add(readLine(tin));
                  write(tout, "250-raw.test inside TLS\r\n250 8BITMIME\r\n");
                  heard.add(readLine(tin));
                  write(tout, "221 bye\r\n");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      EventLoopGroup group = new NioEventLoopGroup(1);
      try {
        Duration t = Duration.ofSeconds(3);
        SmtpClient client =
            new SmtpClient(group, new ClientTimeouts(t, t, t, t, t, t), Optional.empty());
        OutboundRoute route =
            new OutboundRoute(
                new InetSocketAddress("127.0.0.9", listener.getLocalPort()),
                "mx.test",
                Optional.empty(),
                "client.test",
                TlsMode.OPPORTUNISTIC,
                Optional.empty());
        SmtpConnection c = client.connect(route).get(5, TimeUnit.SECONDS);

        assertThat(c.tls()).isPresent();
        assertThat(c.capabilities().eightBitMime())
            .as("the EHLO reply read is the one sent inside TLS, not '250 injected'")
            .isTrue();
        assertThat(c.reusable()).isTrue();
        c.close().get(5, TimeUnit.SECONDS);
        peer.get(5, TimeUnit.SECONDS);
        assertThat(heard)
            .containsExactly("EHLO client.test", "STARTTLS", "EHLO client.test", "QUIT");
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** One line, byte by byte: nothing past the LF is taken from the stream (TLS follows). */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
