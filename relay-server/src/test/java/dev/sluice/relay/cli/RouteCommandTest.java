package dev.sluice.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteCommandTest {
  @TempDir Path dir;

  private Path policy() throws IOException {
    return Files.writeString(
        dir.resolve("routes.yaml"),
        """
        pools:
          transactional:
            members:
              - { name: postmark, relay: { host: smtp.postmarkapp.com, auth: { username: u, password_env: PM_TOKEN } } }
          bulk:
            members: [ { name: ip-10, source_ip: 203.0.113.10 } ]
        tenants:
          acme: { may_steer: true }
          eu: { pools: [transactional] }
        rules:
          - { name: resets, match: { message_type: transactional }, route: { pool: transactional, priority: 1, tags: [reset] } }
          - { name: office, match: { time: { days: mon-fri, hours: "09:00-17:00", zone: Europe/Paris } }, route: { pool: bulk } }
          - { name: default, route: { pool: bulk } }
        """);
  }

  @Test
  void printsTheTraceOfTheBuiltInDefaultPolicy() {
    CliRunner result =
        CliRunner.run("route", "--from", "app@example.com", "--to", "user@gmail.com");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .startsWith("route app@example.com → user@gmail.com\n")
        .contains("matched (#1 of 1): catch-all (no match conditions)")
        .containsPattern(
            "decision +DELIVER +default/direct \\(direct\\), priority 5, destination default");
  }

  @Test
  void headersSteerTheDecision() throws IOException {
    CliRunner result =
        CliRunner.run(
            "route",
            "--config",
            policy().toString(),
            "--from",
            "a@acme.example",
            "--to",
            "b@x.example",
            "--header",
            "X-Message-Type: transactional",
            "--header",
            "X-Route: bulk",
            "--tenant",
            "acme");
    assertThat(result.out())
        .contains("resets")
        .contains("X-Route: bulk")
        .contains("honoured: tenant acme may steer to bulk")
        .containsPattern("decision +DELIVER +bulk/ip-10 \\(direct from 203.0.113.10\\)");
  }

  @Test
  void jsonCarriesTheDecisionAndItsTraceButNoSecret() throws IOException {
    CliRunner result =
        CliRunner.run(
            "route",
            "--config",
            policy().toString(),
            "--json",
            "--from",
            "a@x.example",
            "--to",
            "b@y.example",
            "--header",
            "X-Message-Type: transactional");
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("decision").asText()).isEqualTo("deliver");
    assertThat(json.get("rule").asText()).isEqualTo("resets");
    assertThat(json.get("member").asText()).isEqualTo("postmark");
    assertThat(json.get("path").asText()).isEqualTo("relay smtp.postmarkapp.com:587");
    assertThat(json.get("priority").asInt()).isEqualTo(1);
    assertThat(json.get("tags").get(0).asText()).isEqualTo("reset");
    assertThat(json.get("trace").get(1).get("step").asText()).isEqualTo("rule");
    assertThat(result.out()).doesNotContain("PM_TOKEN");
  }

  @Test
  void atSelectsTheTimeOfTheDecision() throws IOException {
    String file = policy().toString();
    assertThat(
            CliRunner.run(
                    "route",
                    "--config",
                    file,
                    "--from",
                    "a@x.example",
                    "--to",
                    "b@y.example",
                    "--at",
                    "2026-11-23T10:00:00Z")
                .out())
        .contains("office");
    assertThat(
            CliRunner.run(
                    "route",
                    "--config",
                    file,
                    "--from",
                    "a@x.example",
                    "--to",
                    "b@y.example",
                    "--at",
                    "2026-11-22T10:00:00Z")
                .out())
        .contains("default");
  }

  @Test
  void aRefusedDecisionExitsThree() throws IOException {
    CliRunner result =
        CliRunner.run(
            "route",
            "--config",
            policy().toString(),
            "--from",
            "a@x.example",
            "--to",
            "b@y.example",
            "--tenant",
            "eu");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.out()).contains("NO_POOL_GRANTED: tenant eu is granted none of [bulk]");
  }

  @Test
  void anInvalidPolicyExitsOneWithItsErrors() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "pools: {}\nrules: []\n");
    CliRunner result =
        CliRunner.run("route", "--config", bad.toString(), "--from", "a@x", "--to", "b@y");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains(bad + ":2:8: rules is empty");
  }

  @Test
  void aPolicyFileThatCannotBeReadIsOneLineAndExitsOne() {
    Path missing = dir.resolve("missing.yaml");
    CliRunner result =
        CliRunner.run("route", "--config", missing.toString(), "--from", "a@x", "--to", "b@y");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("sluice route: " + missing + ": no such file\n");
  }

  @Test
  void aMalformedHeaderIsAUsageError() {
    CliRunner result =
        CliRunner.run("route", "--from", "a@x", "--to", "b@y", "--header", "no colon here");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--header must look like 'Name: value'");
  }
}
