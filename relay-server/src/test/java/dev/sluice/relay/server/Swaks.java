package dev.sluice.relay.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs swaks (Debian package {@code swaks}, installed by .ci/run) and keeps its transcript. */
record Swaks(int exitCode, String transcript) {
  static Swaks run(String... args) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of("/usr/bin/swaks"))) {
      throw new AssertionError("swaks is not installed: apt-get install swaks (.ci/run does)");
    }
    List<String> command = new ArrayList<>(List.of("/usr/bin/swaks", "--timeout", "10"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("swaks did not finish: " + command);
    }
    return new Swaks(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The server's replies, one per line, without swaks's direction markers. */
  List<String> replies() {
    List<String> out = new ArrayList<>();
    for (String line : transcript.split("\n")) {
      String l = line.strip();
      if (l.startsWith("<-") || l.startsWith("<~") || l.startsWith("<**") || l.startsWith("<~*")) {
        out.add(l.replaceFirst("^<[-~*]+\\s*", ""));
      }
    }
    return out;
  }
}
