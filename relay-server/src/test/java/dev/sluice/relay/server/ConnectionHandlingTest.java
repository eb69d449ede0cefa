package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection-level defences, seen from a raw socket: floods, slow clients, shutdown. */
class ConnectionHandlingTest {
  @TempDir Path dir;

  @Test
  void connectionsOverThePerIpLimitGet421() throws Exception {
    try (RunningSluice sluice =
        RunningSluice.start(dir, "limits: { max_connections_per_ip: 3 }\n")) {
      List<RawSmtpClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawSmtpClient c = new RawSmtpClient(sluice.relayPort());
          open.add(c);
          assertThat(c.readLine()).startsWith("220 ");
        }
        try (RawSmtpClient fourth = new RawSmtpClient(sluice.relayPort())) {
          assertThat(fourth.readLine())
              .isEqualTo("421 4.7.0 Too many connections from your address");
          assertThat(fourth.readLine()).isNull();
        }
      } finally {
        for (RawSmtpClient c : open) {
          c.close();
        }
      }
    }
  }

  @Test
  void connectionsOverTheTotalLimitAcrossListenersGet421() throws Exception {
    try (RunningSluice sluice = RunningSluice.start(dir, "limits: { max_connections: 2 }\n")) {
      try (RawSmtpClient a = new RawSmtpClient(sluice.relayPort());
          RawSmtpClient b = new RawSmtpClient(sluice.submissionPort())) {
        assertThat(a.readLine()).startsWith("220 ");
        assertThat(b.readLine()).startsWith("220 ");
        try (RawSmtpClient c = new RawSmtpClient(sluice.relayPort())) {
          assertThat(c.readLine()).isEqualTo("421 4.7.0 Too many connections, try again later");
        }
      }
    }
  }

  @Test
  void aClientTricklingOneByteAtATimeIsCutOffAtTheLineDeadline() throws Exception {
    try (RunningSluice sluice = RunningSluice.start(dir, "limits: { command_timeout: 1s }\n")) {
      try (RawSmtpClient slow = new RawSmtpClient(sluice.relayPort())) {
        assertThat(slow.readLine()).startsWith("220 ");
        String said =
            slow.trickle("EHLO slowloris.example.com and more and more and more\r\n", 200);
        assertThat(said).isEqualTo("421 4.4.2 Timeout, closing connection");
      }
    }
  }

  @Test
  void shutdownTellsOpenSessions421() throws Exception {
    RunningSluice sluice = RunningSluice.start(dir, "");
    try (RawSmtpClient client = new RawSmtpClient(sluice.relayPort())) {
      assertThat(client.readLine()).startsWith("220 ");
      client.send("EHLO client.example\r\n");
      while (!client.readLine().startsWith("250 ")) {
        // the rest of the EHLO reply
      }
      sluice.close();
      assertThat(client.readLine()).isEqualTo("421 4.3.2 Service shutting down, try again later");
    }
  }

  @Test
  void unknownCommandsAreAnsweredAndTheSessionGoesOn() throws Exception {
    try (RunningSluice sluice = RunningSluice.start(dir, "")) {
      try (RawSmtpClient c = new RawSmtpClient(sluice.relayPort())) {
        c.readLine();
        c.send("XYZZY\r\nNOOP\r\n");
        assertThat(c.readLine()).isEqualTo("500 5.5.2 Command not recognized");
        assertThat(c.readLine()).isEqualTo("250 2.0.0 Ok");
      }
    }
  }
}
