package dev.sluice.relay.cli;

import dev.sluice.relay.logging.DaemonLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice}: the one command operators type. Exit codes: 0 success, 1 invalid configuration or
 * failed operation, 2 bad usage, 3 a dry-run decision that does not deliver.
 *
 * <p>The commands that talk to the daemon's admin API ({@code status}, {@code pool}, {@code queue},
 * {@code suppress}, {@code reload}) exit 0 when the API did it, 1 when it refused the operation or
 * failed (bad input, a message in the middle of a round: the API's error is printed), 2 when the
 * daemon cannot be reached, the token cannot be read or the daemon refuses it, 3 when the pool,
 * member, message or suppression named does not exist (see {@link ApiCommand}).
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
      StatusCommand.class,
      PoolCommand.class,
      QueueCommand.class,
      SuppressCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SluiceCommand {
  public static void main(String[] args) {
    DaemonLogging.installLogManager();
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
