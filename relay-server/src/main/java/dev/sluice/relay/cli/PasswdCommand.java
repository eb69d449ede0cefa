package dev.sluice.relay.cli;

import dev.sluice.relay.auth.PasswordHashes;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice passwd}: reads a password (without echo on a terminal, else one line of standard
 * input) and prints the hash to put under a tenant's {@code users} in routes.yaml.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description = "Hash a password for a tenant user in routes.yaml (bcrypt by default).")
final class PasswdCommand implements Callable<Integer> {
  @Option(names = "--argon2id", description = "Make an argon2id hash instead of bcrypt.")
  private boolean argon2id;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    char[] password = read();
    try {
      if (password.length == 0) {
        spec.commandLine().getErr().println("sluice passwd: the password is empty");
        return 1;
      }
      String hash = argon2id ? PasswordHashes.argon2id(password) : PasswordHashes.bcrypt(password);
      spec.commandLine().getOut().println(hash);
      spec.commandLine().getOut().flush();
      return 0;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private char[] read() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        return new char[0];
      }
      return first;
    }
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null ? new char[0] : line.toCharArray();
  }
}
