package dev.sluice.relay.cli;

import picocli.CommandLine.Command;

/** {@code sluice config …}: work with configuration files. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Work with configuration files.",
    subcommands = {ConfigCheckCommand.class})
final class ConfigCommand {}
