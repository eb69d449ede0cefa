package dev.sluice.routing.bounce;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sorts a remote reply (code, enhanced status, text) into a {@link BounceCategory}. The enhanced
 * status code decides when it is specific (RFC 3463): a 5.7.x is a security or policy refusal
 * whatever its text says, so Postfix's "554 5.7.1 &lt;a@b&gt;: Recipient address rejected: Access
 * denied" never puts a valid address on the suppression list. The text is read for the rate and
 * reputation signs providers put there under any status (Gmail's "4.7.28", Yahoo's "TS04",
 * Microsoft's "S3150", Spamhaus listings…), and for the rest only when the status says nothing
 * specific: absent, an "other or undefined" x.y.0, or 5.2.1. Pure and thread-safe.
 */
public final class BounceClassifier {
  private static final Pattern REPUTATION_TEXT =
      Pattern.compile(
          "rate limit|too many (messages|connections)|throttl|try again later|temporarily deferred"
              + "|ts0[1-4]|rl0000|4\\.7\\.28|unusual rate|reputation|spamhaus|blocklist|blacklist"
              + "|listed|s3150|s3140|poor reputation",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern INVALID_TEXT =
      Pattern.compile(
          "user unknown|no such user|unknown user|does not exist|mailbox unavailable|invalid recipient"
              + "|recipient address rejected|no mailbox|account (has been )?disabled",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern FULL_TEXT =
      Pattern.compile(
          "mailbox (is )?full|over quota|quota exceeded|insufficient storage",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern TLS_TEXT =
      Pattern.compile("tls|starttls|certificate|handshake", Pattern.CASE_INSENSITIVE);
  private static final Pattern SPAM_TEXT =
      Pattern.compile(
          "spam|policy|dmarc|spf|dkim|content|virus|rejected for", Pattern.CASE_INSENSITIVE);

  private BounceClassifier() {}

  /**
   * The category of a reply.
   *
   * @param code the three-digit reply code
   * @param status the enhanced status code ({@code 5.1.1}), or empty
   * @param text the reply text
   */
  public static BounceCategory classify(int code, String status, String text) {
    String s = status == null ? "" : status.strip();
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    String detail = s.length() > 2 ? s.substring(2) : "";
    switch (detail) {
      case "1.1", "1.0", "1.3", "1.6":
        return BounceCategory.INVALID_RECIPIENT;
      case "1.2", "1.10", "4.4", "4.3":
        return BounceCategory.DNS;
      case "2.2":
        return BounceCategory.MAILBOX_FULL;
      case "2.1":
        return INVALID_TEXT.matcher(t).find()
            ? BounceCategory.INVALID_RECIPIENT
            : BounceCategory.MAILBOX_FULL;
      case "7.10", "7.11", "7.5":
        return BounceCategory.TLS;
      case "7.28":
        return BounceCategory.REPUTATION;
      default:
        break;
    }
    if (REPUTATION_TEXT.matcher(t).find()) {
      return BounceCategory.REPUTATION;
    }
    if (detail.startsWith("7.")) {
      return BounceCategory.POLICY;
    }
    if (!s.isEmpty() && !detail.endsWith(".0")) {
      return BounceCategory.OTHER; // a specific status this switch does not list
    }
    if (INVALID_TEXT.matcher(t).find()) {
      return BounceCategory.INVALID_RECIPIENT;
    }
    if (FULL_TEXT.matcher(t).find()) {
      return BounceCategory.MAILBOX_FULL;
    }
    if (SPAM_TEXT.matcher(t).find()) {
      return BounceCategory.POLICY;
    }
    if (TLS_TEXT.matcher(t).find()) {
      return BounceCategory.TLS;
    }
    if (code == 550 && s.isEmpty()) {
      return BounceCategory.INVALID_RECIPIENT; // bare 550 at RCPT is the classic "no such user"
    }
    return BounceCategory.OTHER;
  }
}
