package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.server.RawSmtpClient;
import dev.sluice.relay.server.RunningSluice;
import dev.sluice.relay.smtp.out.ClientTimeouts;
import dev.sluice.relay.smtp.out.OutboundRoute;
import dev.sluice.relay.smtp.out.SmtpClient;
import dev.sluice.relay.smtp.out.SmtpConnection;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2011-0411 on both sides of Sluice: plaintext sent right after STARTTLS, in the same packet,
 * must never be acted on inside TLS. Ingress: a client pipelines a command behind its STARTTLS.
 * Delivery: a server (or a man in the middle) sends extra replies after its 220 to STARTTLS. Raw
 * sockets play the misbehaving peer, since no well-behaved client or server can be told to.
 */
@Tag("faults")
class StartTlsInjectionTest {
  @TempDir Path dir;

  @Test
  void ingressDiscardsACommandPipelinedBehindStartTls() throws Exception {
    try (RunningSluice sluice = RunningSluice.start(dir, "");
        Socket plain = new Socket("127.0.0.1", sluice.submissionPort())) {
      plain.setSoTimeout(10_000);
      OutputStream out = plain.getOutputStream();
      InputStream in = plain.getInputStream();
      assertThat(readLine(in)).startsWith("220 ");
      write(out, "EHLO evil.test\r\n");
      String line;
      do {
        line = readLine(in);
      } while (line.startsWith("250-"));
      write(out, "STARTTLS\r\nMAIL FROM:<evil@acme.example>\r\n"); // one write, as the attack does
      assertThat(readLine(in)).isEqualTo("220 2.0.0 Ready to start TLS");

      SSLSocket tls =
          (SSLSocket)
              RawSmtpClient.trusting(sluice.certificate())
                  .getSocketFactory()
                  .createSocket(plain, "127.0.0.1", plain.getPort(), true);
      tls.startHandshake();
      OutputStream tout = tls.getOutputStream();
      InputStream tin = tls.getInputStream();
      write(tout, "NOOP\r\n");
      assertThat(readLine(tin))
          .as("the first reply inside TLS answers our NOOP: the injected MAIL got none")
          .isEqualTo("250 2.0.0 Ok");
      write(tout, "MAIL FROM:<app@acme.example>\r\n");
      assertThat(readLine(tin))
          .as("RFC 3207 4.2: the session is fresh after the handshake")
          .isEqualTo("503 5.5.1 Send EHLO or HELO first");
      write(tout, "EHLO evil.test\r\nRCPT TO:<victim@example.net>\r\n");
      List<String> ehlo = new ArrayList<>();
      do {
        line = readLine(tin);
        ehlo.add(line);
      } while (line.startsWith("250-"));
      assertThat(ehlo).contains("250-AUTH PLAIN LOGIN").doesNotContain("250-STARTTLS");
      assertThat(readLine(tin)).as("no sender was kept").startsWith("503 5.5.1 Need MAIL");
      assertThat(sluice.queued()).isEmpty();
    }
  }

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
