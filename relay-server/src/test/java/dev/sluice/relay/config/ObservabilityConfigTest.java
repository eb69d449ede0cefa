package dev.sluice.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.SecretRef;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObservabilityConfigTest {
  private static final String LISTENERS =
      "listeners: [ { name: relay, address: \"127.0.0.1:2525\", mode: relay } ]\n";

  private static ServerConfig load(String yaml) throws ConfigException {
    return ServerConfigLoader.load("sluice.yaml", LISTENERS + yaml, Path.of("/etc/sluice"));
  }

  private static List<String> errors(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::toString).toList();
    }
    throw new AssertionError("expected errors for: " + yaml);
  }

  @Test
  void logsJsonToStandardOutputByDefault() throws ConfigException {
    assertThat(load("").logging()).isEqualTo(LoggingConfig.DEFAULTS);
    assertThat(LoggingConfig.DEFAULTS.format()).isEqualTo(LoggingConfig.Format.JSON);
    assertThat(LoggingConfig.DEFAULTS.file()).isEmpty();
    assertThat(load("").webhooks()).isEmpty();
  }

  @Test
  void readsARotatedLogFileRelativeToTheConfig() throws ConfigException {
    assertThat(
            load("logging: { format: text, file: log/sluice.log, max_size: 20MB, keep: 3 }\n")
                .logging())
        .isEqualTo(
            new LoggingConfig(
                LoggingConfig.Format.TEXT,
                Optional.of(Path.of("/etc/sluice/log/sluice.log")),
                20L << 20,
                3));
  }

  @Test
  void readsAWebhookWithItsDefaults() throws ConfigException {
    WebhookConfig w =
        load("""
                webhooks:
                  - { url: "https://hooks.example.com/sluice", secret_env: HOOK_SECRET, events: [ bounced, member_down ] }
                """)
            .webhooks()
            .get(0);
    assertThat(w)
        .isEqualTo(
            new WebhookConfig(
                URI.create("https://hooks.example.com/sluice"),
                new SecretRef.FromEnv("HOOK_SECRET"),
                Set.of("bounced", "member_down"),
                Duration.ofSeconds(5),
                8,
                Duration.ofSeconds(1),
                10_000));
    assertThat(w.wants("bounced")).isTrue();
    assertThat(w.wants("delivered")).isFalse();
  }

  @Test
  void reportsEachMistakeWithItsPosition() {
    assertThat(errors("logging: { format: xml }\n"))
        .singleElement()
        .asString()
        .startsWith("sluice.yaml:2:")
        .contains("format of logging");
    assertThat(errors("logging: { keep: 3 }\n"))
        .containsExactly(
            "sluice.yaml:2:18: max_size and keep of logging apply to a log file: set 'file' too,"
                + " or remove them (standard output is not rotated)");
    assertThat(errors("logging: { file: a.log, max_size: 12 }\n"))
        .singleElement()
        .asString()
        .contains("max_size of logging must be at least 1KB");
    assertThat(errors("webhooks: [ { url: \"ftp://hooks.example.com/x\", secret_env: S } ]\n"))
        .singleElement()
        .asString()
        .startsWith("sluice.yaml:2:20: url of a webhook must be an http:// or https:// URL");
    assertThat(
            errors(
                "webhooks: [ { url: \"https://user:pw@hooks.example.com/\", secret_env: S } ]\n"))
        .singleElement()
        .asString()
        .contains("no user:password");
    assertThat(errors("webhooks: [ { url: \"https://h.example/\" } ]\n"))
        .singleElement()
        .asString()
        .contains("one of 'secret_file' or 'secret_env'");
    assertThat(
            errors(
                "webhooks: [ { url: \"https://h.example/\", secret_env: S, secret_file: f } ]\n"))
        .singleElement()
        .asString()
        .contains("one of 'secret_file' or 'secret_env'");
    assertThat(
            errors(
                "webhooks: [ { url: \"https://h.example/\", secret_env: S, events: [ deliverd ] } ]\n"))
        .singleElement()
        .asString()
        .contains("unknown event type 'deliverd' (known: received, routed,");
    assertThat(
            errors("webhooks: [ { url: \"https://h.example/\", secret_env: S, timeout: 0s } ]\n"))
        .singleElement()
        .asString()
        .contains("timeout of a webhook");
    assertThat(
            errors("webhooks: [ { url: \"https://h.example/\", secret_env: S, colour: red } ]\n"))
        .singleElement()
        .asString()
        .contains("colour");
  }

  @Test
  void theSecretSourceIsNamedButNeverTheSecret() throws ConfigException {
    assertThat(errors("webhooks: [ { url: \"https://h.example/\", secret_env: 42x } ]\n"))
        .singleElement()
        .asString()
        .contains("secret_env of a webhook must name an environment variable");
    WebhookConfig w =
        load("webhooks: [ { url: \"https://h.example/\", secret_file: hook.secret } ]\n")
            .webhooks()
            .get(0);
    assertThat(w.secret()).isEqualTo(new SecretRef.FromFile("/etc/sluice/hook.secret"));
  }
}
