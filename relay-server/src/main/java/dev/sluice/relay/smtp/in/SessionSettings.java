package dev.sluice.relay.smtp.in;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and identity one SMTP session runs with; immutable.
 *
 * @param hostname the name in the greeting, EHLO reply and Received header
 * @param maxMessageSize the SIZE announced and enforced, in bytes
 * @param maxRecipients recipients per message before 452 4.5.3
 * @param maxErrors syntax or sequence errors before the session is closed
 * @param maxCommandLine longest command line, in bytes (RFC 5321 §4.5.3.1.4 says 512)
 * @param maxDataLine longest line of message text, in bytes (RFC 5321 §4.5.3.1.6 says 1000)
 * @param commandTimeout how long a client may take to send a whole command line
 * @param dataTimeout how long a client may take between two chunks of DATA
 */
public record SessionSettings(
    String hostname,
    long maxMessageSize,
    int maxRecipients,
    int maxErrors,
    int maxCommandLine,
    int maxDataLine,
    Duration commandTimeout,
    Duration dataTimeout) {
  /** RFC 5321 §4.5.3 and §4.5.3.2 values, with a 50 MB message limit. */
  public static SessionSettings defaults(String hostname) {
    return new SessionSettings(
        hostname, 50L << 20, 1000, 10, 4096, 998, Duration.ofMinutes(5), Duration.ofMinutes(3));
  }

  /** The longest line framed at all, the larger of the two limits: a bound on memory. */
  public int maxLine() {
    return Math.max(maxCommandLine, maxDataLine);
  }

  public SessionSettings {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(dataTimeout, "dataTimeout");
  }
}
