package dev.sluice.routing.testing;

import dev.sluice.routing.Envelope;
import dev.sluice.routing.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds envelopes for tests: {@code EnvelopeBuilder.to("a@gmail.com").header("X-Route",
 * "eu").build()}.
 */
public final class EnvelopeBuilder {
  private String sender = "app@sender.example";
  private final String recipient;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private String tenant;
  private String clientAddress;

  private EnvelopeBuilder(String recipient) {
    this.recipient = recipient;
  }

  public static EnvelopeBuilder to(String recipient) {
    return new EnvelopeBuilder(recipient);
  }

  public EnvelopeBuilder from(String address) {
    this.sender = address;
    return this;
  }

  public EnvelopeBuilder header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  public EnvelopeBuilder messageType(String type) {
    return header("X-Message-Type", type);
  }

  public EnvelopeBuilder tenant(String name) {
    this.tenant = name;
    return this;
  }

  public EnvelopeBuilder client(String address) {
    this.clientAddress = address;
    return this;
  }

  public Envelope build() {
    return new Envelope(
        sender,
        recipient,
        Headers.of(headers),
        Optional.ofNullable(tenant),
        Optional.ofNullable(clientAddress));
  }
}
