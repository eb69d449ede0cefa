package dev.sluice.relay.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLException;

/** Server TLS contexts from PEM files: TLS 1.2 and 1.3 only, the JDK's modern cipher suites. */
public final class TlsContexts {
  /** TLS 1.0 and 1.1 are broken (RFC 8996); SSL is long gone. */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private TlsContexts() {}

  public static SslContext server(SelfSignedCertificate.PemPair pair) throws IOException {
    try {
      return SslContextBuilder.forServer(pair.certificate().toFile(), pair.key().toFile())
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot use TLS certificate "
              + pair.certificate()
              + " with key "
              + pair.key()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
