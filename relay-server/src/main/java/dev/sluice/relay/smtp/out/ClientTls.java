package dev.sluice.relay.smtp.out;

import dev.sluice.routing.config.TlsMode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The client's two TLS contexts: one that accepts any certificate (opportunistic STARTTLS, as
 * Postfix's {@code may}: encryption against passive eavesdroppers, no authentication), and one that
 * verifies the chain against the trust anchors and the host name (required and implicit TLS). TLS
 * 1.2 and 1.3 only (RFC 8996).
 */
final class ClientTls {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final SslContext anyCertificate;
  private final SslContext verified;

  private ClientTls(SslContext anyCertificate, SslContext verified) {
    this.anyCertificate = anyCertificate;
    this.verified = verified;
  }

  /** {@code trust}: PEM CA certificates; empty for the JDK's default trust store. */
  static ClientTls load(Optional<Path> trust) throws IOException {
    try {
      SslContext any =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              .endpointIdentificationAlgorithm(null)
              .build();
      SslContextBuilder verifying =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .endpointIdentificationAlgorithm("HTTPS");
      if (trust.isPresent()) {
        verifying.trustManager(trust.get().toFile());
      }
      return new ClientTls(any, verifying.build());
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot load the outbound TLS trust anchors"
              + trust.map(p -> " from " + p).orElse("")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A client handler for {@code route}: SNI and host name verification use its host name;
   * opportunistic connections accept any certificate.
   */
  SslHandler handler(OutboundRoute route, ByteBufAllocator alloc, Duration handshakeTimeout) {
    SslContext context = route.tls() == TlsMode.OPPORTUNISTIC ? anyCertificate : verified;
    SslHandler handler = context.newHandler(alloc, route.hostName(), route.remote().getPort());
    handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
    return handler;
  }
}
