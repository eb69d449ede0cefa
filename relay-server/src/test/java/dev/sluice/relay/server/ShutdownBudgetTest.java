package dev.sluice.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop must fit the service manager's stop timeout (TimeoutStopSec) with the shutdown grace in
 * it: telling clients 421 may not take a share per listener, nor wait for a client that never
 * finishes its TLS handshake.
 */
class ShutdownBudgetTest {
  @TempDir Path dir;

  @Test
  void clientsStalledInTlsHandshakesDoNotHoldTheStop() throws Exception {
    RunningSluice sluice = RunningSluice.start(dir, "");
    try (Socket implicit = new Socket("127.0.0.1", sluice.submissionsPort());
        RawSmtpClient starttls = new RawSmtpClient(sluice.submissionPort())) {
      // 465: connected, no ClientHello. 587: STARTTLS accepted, no ClientHello.
      starttls.readLine();
      starttls.send("EHLO client.test\r\n");
      while (!starttls.readLine().startsWith("250 ")) {
        // rest of the EHLO reply
      }
      starttls.send("STARTTLS\r\n");
      assertThat(starttls.readLine()).startsWith("220 ");

      long started = System.nanoTime();
      sluice.close();
      long millis = (System.nanoTime() - started) / 1_000_000;

      assertThat(millis).as("close() took %d ms with nothing to deliver", millis).isLessThan(3_000);
      implicit.setSoTimeout(1_000);
      InputStream in = implicit.getInputStream();
      assertThat(in.read()).as("the stalled implicit-TLS connection is closed").isEqualTo(-1);
    }
  }
}
