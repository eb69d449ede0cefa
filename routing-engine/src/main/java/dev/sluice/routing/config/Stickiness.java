package dev.sluice.routing.config;

/**
 * How a pool keeps traffic on one member. Sticky pools pick by rendezvous hashing, so adding a
 * member moves only the share of traffic that member takes.
 */
public enum Stickiness {
  /** Smooth weighted round-robin: even interleaving by weight. */
  NONE("none"),
  /** Every recipient of one domain goes through the same member while it is eligible. */
  RECIPIENT_DOMAIN("recipient_domain"),
  /** Every message to one recipient address goes through the same member while it is eligible. */
  RECIPIENT("recipient");

  private final String yamlName;

  Stickiness(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }
}
