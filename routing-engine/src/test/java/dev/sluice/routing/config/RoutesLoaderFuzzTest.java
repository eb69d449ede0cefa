package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the routes.yaml loader. Its contract (docs/configuration.md, {@link RoutesLoader}): any
 * text gives either a validated {@link RoutesConfig} or a {@link ConfigException} listing every
 * problem as {@code file:line:column: message} inside the file; nothing else escapes, whatever the
 * YAML (aliases, deep nesting, huge numbers, broken UTF-8). Regression inputs live in {@code
 * RoutesLoaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (docs/hostile-input.md).
 */
class RoutesLoaderFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void givesAConfigOrLocatedErrors(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int lines = lineCount(text);
    try {
      RoutesConfig config = RoutesLoader.load("routes.yaml", text);
      assertThat(config.pools()).as("a loaded policy has pools").isNotEmpty();
      assertThat(config.rules()).as("a loaded policy has rules").isNotEmpty();
    } catch (ConfigException e) {
      assertThat(e.errors()).as("a rejection says why").isNotEmpty();
      for (ConfigError error : e.errors()) {
        assertThat(error.file()).isEqualTo("routes.yaml");
        assertThat(error.line()).as("line of %s", error).isBetween(1, lines);
        assertThat(error.column()).as("column of %s", error).isPositive();
        assertThat(error.message()).as("message of %s", error).isNotBlank();
        assertThat(error.toString()).startsWith("routes.yaml:" + error.line() + ":");
      }
    }
  }

  /** Lines as YAML 1.1 counts them: CR, LF, CRLF, NEL, LS and PS each end one. */
  private static int lineCount(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        lines++;
      } else if (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
        lines++;
      }
    }
    return lines;
  }
}
