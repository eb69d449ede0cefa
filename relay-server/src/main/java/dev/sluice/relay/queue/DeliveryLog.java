package dev.sluice.relay.queue;

import dev.sluice.relay.spool.MessageId;
import java.lang.System.Logger.Level;

/**
 * One log line per delivery event: {@code delivered id=… rcpt=… via=pool/member … reply="…"}.
 * Secrets never reach it: only names, addresses and remote replies.
 */
final class DeliveryLog {
  private static final System.Logger LOG = System.getLogger("dev.sluice.delivery");

  private DeliveryLog() {}

  static void recipient(String event, MessageId id, String recipient, String via, String detail) {
    if (LOG.isLoggable(Level.INFO)) {
      LOG.log(
          Level.INFO,
          event
              + " id="
              + id.value()
              + " rcpt=<"
              + recipient
              + ">"
              + (via.isEmpty() ? "" : " via=" + via)
              + " "
              + quoted(detail));
    }
  }

  static void path(Level level, String event, String member, String destination, String detail) {
    LOG.log(
        level, event + " member=" + member + " destination=" + destination + " " + quoted(detail));
  }

  static void message(Level level, String event, MessageId id, String detail) {
    LOG.log(level, event + " id=" + id.value() + " " + quoted(detail));
  }

  static void warn(String event, String detail) {
    LOG.log(Level.WARNING, event + " " + quoted(detail));
  }

  private static String quoted(String text) {
    return "detail=\"" + text.replace("\"", "'") + "\"";
  }
}
