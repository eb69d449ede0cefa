package dev.sluice.relay.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
  private static final Pattern STATUS =
      Pattern.compile(
          "postmark-sim \\[([a-z]+)[^]]*] (\\d+) delivered.*ses-sim \\[[a-z]+[^]]*] (\\d+) delivered"
              + ".*smarthost-sim \\[[a-z]+[^]]*] (\\d+) delivered");

  @Test
  void showsFailoverWhileTheMainProviderAnswers421AndItsReturnOnProbation(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new DemoCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));

    int code =
        cli.execute(
            "--data-dir", dir.toString(),
            "--admin", "127.0.0.1:0",
            "--rate", "40",
            "--fail-after", "2s",
            "--fail-for", "3s",
            "--duration", "16s",
            "--every", "1s");

    assertThat(code).isZero();
    String text = out.toString();
    assertThat(text)
        .contains("dashboard:  http://127.0.0.1:")
        .contains("postmark-sim starts answering 421");
    List<String> states =
        text.lines().map(STATUS::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    // healthy, then down once the 421s start, then back on probation after the recheck.
    assertThat(states).startsWith("healthy");
    assertThat(states).contains("down");
    assertThat(states.subList(states.indexOf("down"), states.size())).contains("probation");
    Matcher last =
        text.lines().map(STATUS::matcher).filter(Matcher::find).reduce((a, b) -> b).get();
    // While postmark-sim was down its share went to ses-sim, never to the fallback pool.
    assertThat(Long.parseLong(last.group(3))).isGreaterThan(Long.parseLong(last.group(2)) / 3);
    assertThat(last.group(4)).isEqualTo("0");
  }
}
