package dev.sluice.relay.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd/sluice.service} is a valid unit with the hardening operators expect. The checks
 * that need {@code systemd-analyze} run where it is installed (Debian CI has it).
 */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("..", "systemd", "sluice.service");

  @TempDir Path dir;

  @Test
  void theUnitRunsAsItsOwnUserWithOnlyTheCapabilityToBindLowPortsAndReloadsOnSighup()
      throws IOException {
    List<String> lines = Files.readAllLines(UNIT, StandardCharsets.UTF_8);
    assertThat(lines)
        .contains(
            "User=sluice",
            "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "ReadWritePaths=/var/lib/sluice",
            "StateDirectory=sluice",
            "ConfigurationDirectory=sluice",
            "SystemCallFilter=@system-service",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "Restart=on-failure");
    assertThat(lines).anyMatch(l -> l.startsWith("LimitNOFILE="));
  }

  @Test
  void systemdAnalyzeVerifiesTheUnitAndRatesItsExposureLow() throws Exception {
    assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
    // verify checks that ExecStart exists: point it at a binary this machine has.
    Path unit = dir.resolve("sluice.service");
    Files.writeString(
        unit, Files.readString(UNIT).replace("ExecStart=/usr/bin/sluice ", "ExecStart=/bin/true "));

    Result verify = run("systemd-analyze", "verify", unit.toString());
    assertThat(verify.output()).isEmpty();
    assertThat(verify.exitCode()).isZero();

    Result security = run("systemd-analyze", "security", "--offline=yes", unit.toString());
    Matcher exposure =
        Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(security.output());
    assumeTrue(exposure.find(), "this systemd-analyze cannot rate a unit offline");
    assertThat(Double.parseDouble(exposure.group(1))).isLessThanOrEqualTo(2.0);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), output.strip());
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
