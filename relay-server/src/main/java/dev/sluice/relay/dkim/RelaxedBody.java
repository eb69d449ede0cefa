package dev.sluice.relay.dkim;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code bh=} hash: SHA-256 of the body under RFC 6376 §3.4.4 relaxed canonicalization. Streams
 * the body once; memory is one line.
 */
final class RelaxedBody {
  private RelaxedBody() {}

  static byte[] sha256(ByteBuffer body) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    ByteBuffer b = body.duplicate();
    byte[] line = new byte[256];
    int length = 0;
    boolean pendingSpace = false;
    int emptyLines = 0;
    while (b.hasRemaining()) {
      byte c = b.get();
      if (c == '\r' && b.hasRemaining() && b.get(b.position()) == '\n') {
        b.get();
        // End of line: trailing WSP is dropped (pendingSpace is forgotten), empty lines wait
        // until a non-empty one shows they are not at the end of the body.
        if (length == 0) {
          emptyLines++;
        } else {
          for (; emptyLines > 0; emptyLines--) {
            digest.update(CRLF);
          }
          digest.update(line, 0, length);
          digest.update(CRLF);
        }
        length = 0;
        pendingSpace = false;
      } else if (c == ' ' || c == '\t') {
        pendingSpace = true;
      } else {
        if (length + 2 > line.length) {
          line = java.util.Arrays.copyOf(line, line.length * 2);
        }
        if (pendingSpace) {
          line[length++] = ' ';
          pendingSpace = false;
        }
        line[length++] = c;
      }
    }
    if (length > 0) {
      // A last line without CRLF gets one (§3.4.4).
      for (; emptyLines > 0; emptyLines--) {
        digest.update(CRLF);
      }
      digest.update(line, 0, length);
      digest.update(CRLF);
    }
    return digest.digest();
  }

  private static final byte[] CRLF = {'\r', '\n'};
}
