package dev.sluice.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run} refusing to start: one line saying why, exit 1, never a stack trace. */
class RunCommandTest {
  @TempDir Path dir;

  private String refused(Path config) {
    CliRunner result =
        CliRunner.run(
            "run", "--config", config.toString(), "--data-dir", dir.resolve("var").toString());
    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    return result.err();
  }

  @Test
  void aConfigurationFileThatCannotBeReadIsOneLine() throws IOException {
    Path missing = dir.resolve("missing.yaml");
    assertThat(refused(missing)).isEqualTo("sluice run: " + missing + ": no such file\n");

    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "hostname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(refused(latin1))
        .isEqualTo("sluice run: " + latin1 + ": the file is not valid UTF-8\n");

    Path config =
        Files.writeString(
            dir.resolve("sluice.yaml"),
            """
            listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
            routes: nothere.yaml
            """);
    assertThat(refused(config))
        .isEqualTo("sluice run: " + dir.resolve("nothere.yaml") + ": no such file\n");
  }

  /** In a child process: a start that gets this far has taken over the process's logging. */
  @Test
  void aMissingTokenFileStopsTheStartWithOneLine() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("sluice.yaml"),
            """
            listeners: [ { name: relay, address: "127.0.0.1:0", mode: relay } ]
            spool: { dir: spool, min_free: 1MB }
            admin: { address: "127.0.0.1:0", token_file: missing.token }
            """);
    Process sluice =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SluiceCommand.class.getName(),
                "run",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("var").toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!sluice.waitFor(60, TimeUnit.SECONDS)) {
      sluice.destroyForcibly();
      throw new AssertionError("sluice run started without its token file");
    }
    assertThat(sluice.exitValue()).isEqualTo(1);
    assertThat(new String(sluice.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("sluice run: " + dir.resolve("missing.token") + ": no such file\n");
  }
}
