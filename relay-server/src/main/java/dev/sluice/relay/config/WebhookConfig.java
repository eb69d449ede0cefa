package dev.sluice.relay.config;

import dev.sluice.routing.config.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@code webhooks:} in sluice.yaml: where events are POSTed and how hard Sluice tries.
 *
 * @param url an http or https URL
 * @param secret where the HMAC-SHA256 signing key lives (a file or an environment variable); the
 *     key itself is read at start and never printed
 * @param events the event types sent; empty for all of them
 * @param timeout how long one POST may take, connection included
 * @param maxAttempts POSTs of one batch before it is given up
 * @param backoff the wait before the first retry; it doubles with every further one
 * @param queue events held for the endpoint at most; when full the oldest are dropped
 */
public record WebhookConfig(
    URI url,
    SecretRef secret,
    Set<String> events,
    Duration timeout,
    int maxAttempts,
    Duration backoff,
    int queue) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
  public static final int DEFAULT_QUEUE = 10_000;

  public WebhookConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    events = Set.copyOf(events);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backoff, "backoff");
  }

  /** Whether events of {@code type} go to this endpoint. */
  public boolean wants(String type) {
    return events.isEmpty() || events.contains(type);
  }
}
