package dev.sluice.relay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.routing.Decision;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Headers;
import dev.sluice.routing.Router;
import dev.sluice.routing.RoutingSnapshot;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice route}: a dry run of the routing decision for one message, printed as the trace the
 * attempt log carries. Every member counts as healthy and under its limits: this shows what the
 * policy says, not what live state would change. Exit 0 when it delivers, 3 when the policy refuses
 * or has nothing eligible, 1 when the policy does not load.
 */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = "Dry-run the routing decision for a message and print its trace.")
final class RouteCommand implements Callable<Integer> {
  static final int EXIT_NOT_DELIVERED = 3;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "ADDRESS",
      description = "Envelope sender; '' or <> for the null sender.")
  private String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "ADDRESS",
      description = "Envelope recipient; repeat for several.")
  private List<String> to;

  @Option(
      names = "--header",
      paramLabel = "'NAME: VALUE'",
      description = "A message header, e.g. 'X-Message-Type: transactional'; repeatable.")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = "--tenant",
      paramLabel = "NAME",
      description = "The tenant, as SMTP AUTH would identify it.")
  private String tenant;

  @Option(
      names = "--client",
      paramLabel = "IP",
      description = "The submitting client's IP address.")
  private String client;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "routes.yaml to use (default: the built-in policy).")
  private Path config;

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      description = "Decide as of this ISO-8601 instant (default: now), for time windows.")
  private Instant at;

  @Option(names = "--json", description = "Print JSON instead of text.")
  private boolean json;

  @Spec private CommandSpec spec;

  private final Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Router router;
    try {
      router = new Router(PolicySource.load(Optional.ofNullable(config)).config());
    } catch (ConfigException e) {
      e.errors().stream().map(ConfigError::toString).forEach(err::println);
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println(spec.qualifiedName() + ": " + FileErrors.describe(config, e));
      err.flush();
      return 1;
    }
    RoutingSnapshot snapshot = RoutingSnapshot.allEligible(at != null ? at : clock.instant());
    Headers parsedHeaders = Headers.of(parseHeaders());
    String sender = from.equals("<>") ? "" : from;
    boolean allDelivered = true;
    List<Map<String, Object>> results = new ArrayList<>();
    for (String recipient : to) {
      Envelope envelope =
          new Envelope(
              sender,
              recipient,
              parsedHeaders,
              Optional.ofNullable(tenant),
              Optional.ofNullable(client));
      Decision decision = router.route(envelope, snapshot);
      allDelivered &= decision instanceof Decision.Deliver;
      if (json) {
        results.add(DecisionJson.of(envelope, decision));
      } else {
        out.printf("route %s → %s%n", sender.isEmpty() ? "<>" : sender, recipient);
        decision.trace().lines().forEach(out::println);
        out.println();
      }
    }
    if (json) {
      out.println(toJson(results.size() == 1 ? results.get(0) : results));
    }
    out.flush();
    return allDelivered ? 0 : EXIT_NOT_DELIVERED;
  }

  private List<Map.Entry<String, String>> parseHeaders() {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon <= 0 || h.indexOf('\r') >= 0 || h.indexOf('\n') >= 0) {
        throw new ParameterException(
            spec.commandLine(), "--header must look like 'Name: value', not '" + h + "'");
      }
      out.add(Map.entry(h.substring(0, colon).strip(), h.substring(colon + 1).strip()));
    }
    return out;
  }

  private static String toJson(Object value) throws JsonProcessingException {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
  }
}
