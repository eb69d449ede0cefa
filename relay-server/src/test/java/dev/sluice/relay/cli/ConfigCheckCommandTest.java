package dev.sluice.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
  @TempDir Path dir;

  @Test
  void theShippedExampleIsValid() {
    Path example = Path.of("..", "conf", "routes.yaml");
    CliRunner result = CliRunner.run("config", "check", example.toString());
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith(example + ": ok (");
  }

  @Test
  void theShippedServerConfigIsValidAndBringsItsRoutesFile() {
    Path example = Path.of("..", "conf", "sluice.yaml");
    CliRunner result = CliRunner.run("config", "check", example.toString());
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .startsWith(example + ": ok (3 listeners)")
        .contains("routes.yaml: ok (");
  }

  @Test
  void serverConfigErrorsArePrecise() throws IOException {
    Path file =
        write(
            "sluice.yaml",
            """
            listeners:
              - { name: relay, address: "127.0.0.1:99999", mode: relya }
            trusted_networks: [ 10.0.0.1/8 ]
            limits: { max_message_size: huge, comand_timeout: 5m }
            """);
    CliRunner result = CliRunner.run("config", "check", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines())
        .containsExactly(
            file
                + ":2:29: address of listener 'relay': '127.0.0.1:99999' is not IP:PORT (e.g. \"127.0.0.1:2525\" or \"[::1]:2525\")",
            file
                + ":2:54: mode of listener 'relay' must be one of relay, submission, submissions, not 'relya' (did you mean 'relay'?)",
            file
                + ":3:21: trusted_networks: '10.0.0.1/8' has host bits set (did you mean '10.0.0.0/8'?)",
            file
                + ":4:29: max_message_size of limits: 'huge' is not a size (expected e.g. 512KB, 20MB or 1GB)",
            file
                + ":4:35: unknown key 'comand_timeout' in limits (did you mean 'command_timeout'?)");
  }

  @Test
  void dkimDomainsAndSelectorsMustBeDnsNames() throws IOException {
    Path file =
        write(
            "sluice.yaml",
            """
            listeners: [ { name: relay, address: "127.0.0.1:2525", mode: relay } ]
            dkim:
              - { domain: b\u00fccher.example, selector: s2026, key: b.pem }
              - { domain: "bad_domain.example", selector: s2026, key: b.pem }
              - { domain: example.com, selector: "s 2026", key: e.pem }
            """);
    CliRunner result = CliRunner.run("config", "check", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines())
        .containsExactly(
            file
                + ":4:15: domain of a dkim key: 'bad_domain.example' is not a domain name"
                + " (e.g. example.com or b\u00fccher.example)",
            file
                + ":5:38: selector of a dkim key: 's 2026' is not a selector of letters, digits,"
                + " '-' and '.' (e.g. s2026)");
  }

  @Test
  void theBuiltInDefaultPolicyIsValid() throws Exception {
    Path file = write("default.yaml", PolicySource.defaultText());
    assertThat(CliRunner.run("config", "check", file.toString()).out())
        .contains("ok (1 pools, 1 members, 0 destinations, 0 tenants, 1 rules)");
  }

  @Test
  void printsEveryErrorAsFileLineColumnAndExitsOne() throws IOException {
    Path file =
        write(
            "routes.yaml",
            """
            pools:
              bulk: { members: [ { name: ip-1, source_ip: 203.0.113.300 } ] }
            rules:
              - { name: all, route: { pool: blk } }
            """);
    CliRunner result = CliRunner.run("config", "check", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines())
        .containsExactly(
            file
                + ":2:47: source_ip of member 'ip-1' of pool 'bulk': '203.0.113.300' is not an IP address",
            file
                + ":4:33: pool of route of rule 'all': pool 'blk' is not defined (did you mean 'bulk'?)");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void checksSeveralFilesAndFailsIfAnyFails() throws IOException {
    Path good = write("good.yaml", PolicySource.defaultText());
    Path missing = dir.resolve("missing.yaml");
    Path binary = dir.resolve("binary.yaml");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
    CliRunner result =
        CliRunner.run("config", "check", good.toString(), missing.toString(), binary.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains(good + ": ok");
    assertThat(result.err())
        .contains(missing + ": no such file", binary + ":1:1: the file is not valid UTF-8");
  }

  @Test
  void unknownOptionsAreAUsageError() {
    CliRunner result = CliRunner.run("config", "check", "--frobnicate");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--frobnicate'");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
