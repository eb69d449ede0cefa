package dev.sluice.relay.smtp.out;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the outbound client waits at each step (RFC 5321 §4.5.3.2).
 *
 * @param connect opening the TCP connection (and, with implicit TLS, the handshake)
 * @param greeting the 220 greeting
 * @param command EHLO, STARTTLS, AUTH, MAIL, RCPT, RSET, QUIT replies
 * @param dataStart the 354 after DATA
 * @param dataBlock each write of message text
 * @param dataEnd the reply after the final dot
 */
public record ClientTimeouts(
    Duration connect,
    Duration greeting,
    Duration command,
    Duration dataStart,
    Duration dataBlock,
    Duration dataEnd) {
  /** RFC 5321 §4.5.3.2, with a 30 s connect timeout as Postfix uses. */
  public static final ClientTimeouts RFC5321 =
      new ClientTimeouts(
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(2),
          Duration.ofMinutes(3),
          Duration.ofMinutes(10));

  public ClientTimeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(greeting, "greeting");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(dataStart, "dataStart");
    Objects.requireNonNull(dataBlock, "dataBlock");
    Objects.requireNonNull(dataEnd, "dataEnd");
  }
}
