package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

class YamlReaderTest {
  private static final String POLICY =
      "pools: {default: {members: [{name: direct}]}}\n"
          + "rules:\n"
          + "  - { name: tricky, match: *top, route: { pool: default } }\n"
          + "  - { name: all, route: { pool: default } }\n";

  /** A 1 KB file whose matcher tree, aliases expanded, has 7^7 leaves (49 aliases). */
  private static String matcherBomb() {
    List<String> lines = new ArrayList<>();
    lines.add("x-matchers:");
    lines.add("  m0: &m0 { recipient_domain: example.com }");
    for (int i = 1; i <= 7; i++) {
      String seven = String.join(", ", java.util.Collections.nCopies(7, "*m" + (i - 1)));
      lines.add("  m%d: &m%d { any: [ %s ] }".formatted(i, i, seven));
    }
    return String.join("\n", lines) + "\n" + POLICY.replace("*top", "*m7");
  }

  private static List<String> errors(String text) {
    YamlReader yaml = new YamlReader("routes.yaml");
    Optional<Node> root = yaml.compose(text);
    assertThat(root).as("composed although it should be refused").isEmpty();
    return yaml.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void refusesAliasesThatRepeatMoreThanTheBoundInsteadOfExpandingThem() {
    assertThat(errors(matcherBomb()))
        .containsExactly(
            "routes.yaml:1:1: YAML: aliases repeat more than 100000 nodes of this document");
  }

  @Test
  void theLoaderRejectsTheBombWithItsLocatedError() {
    ConfigException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigException.class, () -> RoutesLoader.load("routes.yaml", matcherBomb()));
    assertThat(e.errors()).extracting(ConfigError::line, ConfigError::column).hasSize(1);
    assertThat(e.getMessage()).startsWith("routes.yaml:1:1: YAML: aliases repeat more than");
  }

  @Test
  void refusesANodeThatContainsItself() {
    assertThat(errors("match: &loop { not: *loop }\n"))
        .containsExactly("routes.yaml:1:8: YAML: this node contains itself through an alias");
    assertThat(errors("pools: &p\n  a: 1\n  <<: *p\n"))
        .containsExactly("routes.yaml:1:8: YAML: this node contains itself through an alias");
  }

  @Test
  void refusesAliasesThatNestDeeperThanTheWrittenTextMay() {
    StringBuilder text = new StringBuilder("d0: &d0 [x]\n");
    for (int i = 1; i <= 30; i++) {
      text.append("d%d: &d%d [[*d%d]]\n".formatted(i, i, i - 1));
    }
    assertThat(errors(text.toString()))
        .singleElement()
        .asString()
        .endsWith("YAML: nested deeper than 50 levels once aliases are expanded");
  }

  @Test
  void keepsOrdinaryAnchorsAndMergeKeys() {
    String text =
        "base: &base { weight: 2, limits: { per_day: 10k } }\n"
            + "pools:\n"
            + "  a: { members: [ { <<: *base, name: m1 }, { <<: *base, name: m2 } ] }\n";
    YamlReader yaml = new YamlReader("routes.yaml");
    assertThat(yaml.compose(text)).isPresent();
    assertThat(yaml.errors()).isEmpty();
  }

  @Test
  void fiftyLevelsAreFineAndFiftyOneAreNot() {
    YamlReader yaml = new YamlReader("routes.yaml");
    assertThat(yaml.compose("[".repeat(50) + "x" + "]".repeat(50))).isPresent();
    assertThat(errors("[".repeat(51) + "x" + "]".repeat(51)))
        .singleElement()
        .asString()
        .contains("Nesting Depth exceeded max 50");
  }
}
