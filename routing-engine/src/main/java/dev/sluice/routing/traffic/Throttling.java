package dev.sluice.routing.traffic;

import dev.sluice.routing.bounce.BounceCategory;
import dev.sluice.routing.bounce.BounceClassifier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a transient reply means "you are sending too fast" rather than a problem of one mail. */
final class Throttling {
  private static final Pattern STATUS = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})");

  private Throttling() {}

  /** A 421, or a deferral the bounce classifier puts down to the sender's rate or reputation. */
  static boolean isThrottling(int code, String reply) {
    if (code == 421) {
      return true;
    }
    if (code < 400 || code >= 500) {
      return false;
    }
    Matcher m = STATUS.matcher(reply);
    String status = m.find() ? m.group(1) : "";
    return BounceClassifier.classify(code, status, reply) == BounceCategory.REPUTATION;
  }
}
