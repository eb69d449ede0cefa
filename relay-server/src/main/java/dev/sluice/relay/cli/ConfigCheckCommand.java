package dev.sluice.relay.cli;

import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.RoutesLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice config check [FILE…]}: validates routes files and prints every error as {@code
 * file:line:column: message}. Exit 0 when all are valid, 1 otherwise.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Validate sluice.yaml and routes.yaml files (a sluice.yaml brings its routes file);"
            + " print every error as file:line:column: message.")
final class ConfigCheckCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Files to check (default: ${DEFAULT-VALUE}).",
      defaultValue = "conf/routes.yaml")
  private List<Path> files;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean ok = true;
    List<Path> queue = new java.util.ArrayList<>(files);
    for (int i = 0; i < queue.size(); i++) {
      Path file = queue.get(i);
      try {
        if (isServerConfig(file)) {
          ServerConfig server = ServerConfigLoader.load(file);
          out.printf("%s: ok (%d listeners)%n", file, server.listeners().size());
          server.routes().filter(r -> !queue.contains(r)).ifPresent(queue::add);
          continue;
        }
        RoutesConfig config = RoutesLoader.load(file);
        long members = config.pools().values().stream().mapToLong(p -> p.members().size()).sum();
        out.printf(
            "%s: ok (%d pools, %d members, %d destinations, %d tenants, %d rules)%n",
            file,
            config.pools().size(),
            members,
            config.destinations().size(),
            config.tenants().size(),
            config.rules().size());
      } catch (ConfigException e) {
        ok = false;
        for (ConfigError error : e.errors()) {
          err.println(error);
        }
      } catch (CharacterCodingException e) {
        ok = false;
        err.printf("%s:1:1: the file is not valid UTF-8%n", file);
      } catch (IOException e) {
        ok = false;
        err.println(FileErrors.describe(file, e));
      }
    }
    out.flush();
    err.flush();
    return ok ? 0 : 1;
  }

  /** sluice.yaml is told from routes.yaml by its top-level {@code listeners} key. */
  private static boolean isServerConfig(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("listeners:")) {
        return true;
      }
    }
    return false;
  }
}
