package dev.sluice.relay.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook POST: {@code sha256=} and the hex HMAC-SHA256, keyed with the
 * webhook's secret, of {@code TIMESTAMP + "." + BODY}, where TIMESTAMP is the {@code
 * X-Sluice-Timestamp} header (Unix seconds). Signing the timestamp lets a receiver refuse replays
 * of old requests. Pure.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Sluice-Signature";
  public static final String TIMESTAMP_HEADER = "X-Sluice-Timestamp";

  private WebhookSignature() {}

  /** {@code sha256=<64 hex digits>}. */
  public static String sign(byte[] secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
