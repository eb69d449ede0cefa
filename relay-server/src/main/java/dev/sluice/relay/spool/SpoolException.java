package dev.sluice.relay.spool;

import java.io.IOException;

/**
 * The spool cannot accept or produce a message right now: an I/O error, free space under the
 * threshold, a closed spool, or a damaged record. Ingress answers it with 452 4.3.1.
 */
public final class SpoolException extends IOException {
  private static final long serialVersionUID = 1L;

  public SpoolException(String message) {
    super(message);
  }

  public SpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
