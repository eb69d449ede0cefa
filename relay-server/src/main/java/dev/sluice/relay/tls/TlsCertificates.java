package dev.sluice.relay.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * The server's TLS context, reloaded when its PEM files change (a renewed certificate needs no
 * restart): new connections get the new pair, open ones keep theirs. A pair that does not load is
 * refused with a log line and the current one stays. Thread-safe.
 */
public final class TlsCertificates implements Supplier<SslContext> {
  private static final System.Logger LOG = System.getLogger(TlsCertificates.class.getName());

  private final SelfSignedCertificate.PemPair files;
  private volatile SslContext current;
  private FileTime certificateTime;
  private FileTime keyTime;

  private TlsCertificates(SelfSignedCertificate.PemPair files) {
    this.files = files;
  }

  /** Loads the pair now; fails if it does not load (a server must not start without TLS). */
  public static TlsCertificates load(SelfSignedCertificate.PemPair files) throws IOException {
    TlsCertificates tls = new TlsCertificates(files);
    tls.current = TlsContexts.server(files);
    tls.certificateTime = Files.getLastModifiedTime(files.certificate());
    tls.keyTime = Files.getLastModifiedTime(files.key());
    return tls;
  }

  @Override
  public SslContext get() {
    return current;
  }

  /** Reloads the pair if either file changed since the last load; true when it was replaced. */
  public synchronized boolean reloadIfChanged() {
    try {
      FileTime cert = Files.getLastModifiedTime(files.certificate());
      FileTime key = Files.getLastModifiedTime(files.key());
      if (cert.equals(certificateTime) && key.equals(keyTime)) {
        return false;
      }
      SslContext fresh = TlsContexts.server(files);
      current = fresh;
      certificateTime = cert;
      keyTime = key;
      LOG.log(Level.INFO, "TLS certificate reloaded from {0}", files.certificate());
      return true;
    } catch (IOException e) {
      LOG.log(
          Level.ERROR,
          "TLS certificate not reloaded, keeping the current one: {0}",
          e.getMessage());
      return false;
    }
  }
}
