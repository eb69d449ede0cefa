package dev.sluice.relay.webhooks;

import dev.sluice.relay.config.WebhookConfig;
import dev.sluice.routing.config.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts one {@link WebhookSink} per configured endpoint, with its signing key read. */
public final class Webhooks {
  private Webhooks() {}

  /**
   * Reads every secret, then starts the sinks; a secret that cannot be read stops the start with a
   * message naming where it was looked for (never the secret).
   */
  public static List<WebhookSink> start(
      List<WebhookConfig> configs, UnaryOperator<String> environment, Clock clock)
      throws IOException {
    List<byte[]> secrets = new ArrayList<>();
    for (WebhookConfig c : configs) {
      secrets.add(secret(c.secret(), environment));
    }
    List<WebhookSink> sinks = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      sinks.add(new WebhookSink(configs.get(i), i + 1, secrets.get(i), clock));
    }
    return sinks;
  }

  private static byte[] secret(SecretRef ref, UnaryOperator<String> environment)
      throws IOException {
    String value;
    if (ref instanceof SecretRef.FromEnv env) {
      value = environment.apply(env.variable());
      if (value == null || value.isEmpty()) {
        throw new IOException("webhook secret_env " + env.variable() + " is not set");
      }
    } else {
      Path file = Path.of(((SecretRef.FromFile) ref).path());
      try {
        value = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IOException(
            "webhook secret_file " + file + " cannot be read: " + e.getClass().getSimpleName(), e);
      }
      if (value.isEmpty()) {
        throw new IOException("webhook secret_file " + file + " is empty");
      }
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
