package dev.sluice.relay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice}: the one command operators type. Exit codes: 0 success, 1 invalid configuration or
 * failed operation, 2 bad usage, 3 a dry-run decision that does not deliver.
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "SMTP relay with policy-based outbound routing.",
    subcommands = {
      RunCommand.class,
      ConfigCommand.class,
      RouteCommand.class,
      PasswdCommand.class,
      dev.sluice.relay.demo.DemoCommand.class,
      ReloadCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SluiceCommand {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for {@link #run} and for tests that capture its output. */
  static CommandLine commandLine() {
    return new CommandLine(new SluiceCommand());
  }

  private SluiceCommand() {}
}
