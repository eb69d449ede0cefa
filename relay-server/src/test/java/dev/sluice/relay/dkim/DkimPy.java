package dev.sluice.relay.dkim;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DKIM verifier we did not write: dkimpy (Debian's python3-dkim), run as a child process with the
 * key records handed to it in place of DNS. Missing dkimpy fails the test: CI installs it.
 */
final class DkimPy {
  private static final String SCRIPT =
      String.join(
          "\n",
          "import json, logging, sys, dkim",
          "logging.basicConfig(stream=sys.stdout, level=logging.DEBUG, format='  %(message)s')",
          "records = {k.encode(): v.encode() for k, v in json.loads(sys.argv[1]).items()}",
          "def dns(name, timeout=5):",
          "    return records.get(name.rstrip(b'.'))",
          "msg = sys.stdin.buffer.read()",
          "count = sum(1 for line in msg.split(b'\\r\\n')",
          "            if line.lower().startswith(b'dkim-signature:'))",
          "def check(i):",
          "    try:",
          "        return dkim.DKIM(msg, logger=logging.getLogger('dkim')).verify(idx=i, dnsfunc=dns)",
          "    except dkim.DKIMException as e:",
          "        print('  signature', i, 'invalid:', e)",
          "        return False",
          "results = [check(i) for i in range(count)]",
          "print('RESULT', count, 'PASS' if count and all(results) else 'FAIL')");

  private static String python;

  private DkimPy() {}

  /**
   * The verdict on every DKIM-Signature of {@code message}: true when there is at least one and
   * dkimpy finds them all valid.
   *
   * @param records DNS name ({@code sel._domainkey.example.com}) to TXT value
   */
  static Verdict verify(byte[] message, Map<String, String> records) throws Exception {
    Process process =
        new ProcessBuilder(python(), "-c", SCRIPT, new ObjectMapper().writeValueAsString(records))
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(message);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("dkimpy did not finish in 60 s:%n%s", output);
    }
    String last = output.strip().lines().reduce((a, b) -> b).orElse("");
    if (!last.startsWith("RESULT ")) {
      fail("dkimpy failed to run:%n%s", output);
    }
    String[] parts = last.split(" ");
    return new Verdict(parts[2].equals("PASS"), Integer.parseInt(parts[1]), output);
  }

  /** What dkimpy said, with its log for the assertion message. */
  record Verdict(boolean valid, int signatures, String log) {}

  private static synchronized String python() throws IOException, InterruptedException {
    if (python != null) {
      return python;
    }
    // Debian's package lives in the system interpreter, which a pyenv or venv python3 earlier
    // on PATH does not see.
    List<String> tried = new ArrayList<>();
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      tried.add(candidate);
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import dkim, nacl")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          python = candidate;
          return python;
        }
      } catch (IOException notThere) {
        // try the next one
      }
    }
    throw new AssertionError(
        "DKIM tests need dkimpy and PyNaCl in python3 (Debian: apt-get install python3-dkim"
            + " python3-nacl); none of "
            + tried
            + " can import them");
  }
}
