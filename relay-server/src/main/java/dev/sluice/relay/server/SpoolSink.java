package dev.sluice.relay.server;

import dev.sluice.relay.metrics.IngressLatency;
import dev.sluice.relay.smtp.in.MessageSink;
import dev.sluice.relay.smtp.in.RoutingHeaders;
import dev.sluice.relay.smtp.in.TraceHeaders;
import dev.sluice.relay.smtp.in.Transaction;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.routing.config.RoutingSettings;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands accepted messages to the spool: reads (and strips) the routing headers, adds the trace
 * headers, keeps the envelope, routing headers, DSN parameters and client details with the message,
 * and answers with the queue id once both are durable. Thread-safe.
 */
public final class SpoolSink implements MessageSink {
  private final Spool spool;
  private final String hostname;
  private final Clock clock;
  private final IngressLatency latency;
  private final boolean addMissingHeaders;
  private final Supplier<RoutingSettings> routing;
  private final Consumer<SpoolEntry> stored;

  /**
   * @param addMissingHeaders add Message-ID and Date to messages that lack them
   * @param routing which headers steer routing, and whether they leave the message, as the policy
   *     in force says at every message
   * @param stored told of every message once it is durable (the scheduler)
   */
  public SpoolSink(
      Spool spool,
      String hostname,
      Clock clock,
      IngressLatency latency,
      boolean addMissingHeaders,
      Supplier<RoutingSettings> routing,
      Consumer<SpoolEntry> stored) {
    this.spool = spool;
    this.hostname = hostname;
    this.clock = clock;
    this.latency = latency;
    this.addMissingHeaders = addMissingHeaders;
    this.routing = routing;
    this.stored = stored;
  }

  @Override
  public CompletableFuture<String> accept(Transaction t) {
    long started = System.nanoTime();
    ZonedDateTime now = ZonedDateTime.now(clock);
    RoutingHeaders routingHeaders = RoutingHeaders.read(t.body(), routing.get());
    byte[] body = TraceHeaders.apply(routingHeaders.body(), t, hostname, now, addMissingHeaders);
    List<SpoolRecipient> recipients =
        t.recipients().stream()
            .map(
                r ->
                    new SpoolRecipient(
                        r.address(), r.parameters().get("NOTIFY"), r.parameters().get("ORCPT")))
            .toList();
    SpoolEnvelope envelope =
        new SpoolEnvelope(
            t.sender(),
            recipients,
            t.client().tenant().orElse(null),
            t.client().address(),
            t.client().helo(),
            t.client().tls().orElse(null),
            t.client().authUser().orElse(null),
            t.mailParameters().get("ENVID"),
            t.mailParameters().get("RET"),
            now.toInstant(),
            body.length,
            routingHeaders.values());
    return spool
        .store(envelope, ByteBuffer.wrap(body))
        .thenApply(
            entry -> {
              latency.record(System.nanoTime() - started);
              stored.accept(entry);
              return entry.id().value();
            });
  }
}
