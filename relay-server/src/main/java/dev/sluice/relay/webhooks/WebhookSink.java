package dev.sluice.relay.webhooks;

import dev.sluice.relay.admin.Json;
import dev.sluice.relay.config.WebhookConfig;
import dev.sluice.relay.events.Event;
import dev.sluice.relay.events.EventSink;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * POSTs events to one webhook endpoint from its own thread, in batches of up to {@value #BATCH}:
 * {@code {"events":[…]}}, signed (see {@link WebhookSignature}). A batch the endpoint does not
 * answer with 2xx is sent again after the backoff, doubling each time, up to the configured
 * attempts, then given up. Events wait in a bounded queue; when it is full the oldest are dropped
 * and counted. {@link #accept} never blocks, so a slow or dead endpoint cannot hold up delivery.
 */
public final class WebhookSink implements EventSink, AutoCloseable {
  static final int BATCH = 100;
  private static final System.Logger LOG = System.getLogger(WebhookSink.class.getName());
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final WebhookConfig config;
  private final String name;
  private final byte[] secret;
  private final Clock clock;
  private final HttpClient http;
  private final ArrayDeque<Event> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failedPosts = new AtomicLong();
  private final Thread thread;
  private boolean closed;

  /**
   * @param position the webhook's place in sluice.yaml's list, from 1; it names the webhook
   * @param secret the signing key, already read from where the config says
   */
  public WebhookSink(WebhookConfig config, int position, byte[] secret, Clock clock) {
    this.config = config;
    this.name = nameOf(position, config.url());
    this.secret = secret.clone();
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    this.thread = new Thread(this::run, "sluice-webhook " + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The webhook as metrics, logs and its thread name show it: {@code 1:hooks.slack.com}, its
   * position and host (and port when the URL gives one). Never the path or query: Slack-style URLs
   * carry their secret in the path, and /metrics needs no token.
   */
  public String name() {
    return name;
  }

  static String nameOf(int position, URI url) {
    // getHost() is null for names it will not parse (an underscore); the raw authority then,
    // without any user information.
    String host =
        url.getHost() != null
            ? url.getHost()
            : String.valueOf(url.getRawAuthority()).replaceFirst("^.*@", "");
    return position
        + ":"
        + host
        + (url.getHost() != null && url.getPort() != -1 ? ":" + url.getPort() : "");
  }

  @Override
  public void accept(Event event) {
    if (!config.wants(event.type())) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (queue.size() >= config.queue()) {
        queue.removeFirst();
        if (dropped.getAndIncrement() % 1000 == 0) {
          LOG.log(
              Level.WARNING,
              "webhook {0}: queue full ({1} events), dropping the oldest; {2} dropped so far",
              name,
              config.queue(),
              dropped.get());
        }
      }
      queue.addLast(event);
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Events dropped because the queue was full or their batch was given up. */
  public long dropped() {
    return dropped.get();
  }

  /** Events the endpoint accepted. */
  public long sent() {
    return sent.get();
  }

  /** POSTs that failed (and were retried or given up). */
  public long failedPosts() {
    return failedPosts.get();
  }

  private void run() {
    while (true) {
      List<Event> batch = next();
      if (batch == null) {
        return;
      }
      deliver(batch);
    }
  }

  /** Waits for events; null once closed. */
  private List<Event> next() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        changed.awaitUninterruptibly();
      }
      if (closed) {
        return null;
      }
      List<Event> batch = new ArrayList<>();
      while (!queue.isEmpty() && batch.size() < BATCH) {
        batch.add(queue.removeFirst());
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(List<Event> batch) {
    byte[] body = Json.bytes(Map.of("events", batch.stream().map(Event::toMap).toList()));
    String id = UUID.randomUUID().toString();
    Duration wait = config.backoff();
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      String problem = post(id, body);
      if (problem == null) {
        sent.addAndGet(batch.size());
        return;
      }
      failedPosts.incrementAndGet();
      if (attempt == config.maxAttempts()) {
        dropped.addAndGet(batch.size());
        LOG.log(
            Level.WARNING,
            "webhook {0}: giving up a batch of {1} events after {2} attempts: {3}",
            name,
            batch.size(),
            attempt,
            problem);
        return;
      }
      if (!pause(wait)) {
        return;
      }
      wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
    }
  }

  /** One signed POST; null when the endpoint answered 2xx, else what went wrong. */
  private String post(String id, byte[] body) {
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(config.url())
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Sluice-Webhook")
            .header("X-Sluice-Delivery", id)
            .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status / 100 == 2 ? null : "HTTP " + status;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Waits before a retry; false when closed meanwhile. */
  private boolean pause(Duration wait) {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (!closed && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread; events still queued are not sent (webhooks are best effort). */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
