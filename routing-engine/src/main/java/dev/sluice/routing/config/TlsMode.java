package dev.sluice.routing.config;

/** How an outbound connection is secured. */
public enum TlsMode {
  /** STARTTLS when the server offers it, plaintext otherwise. */
  OPPORTUNISTIC("opportunistic"),
  /** STARTTLS with a verified certificate and host name, or no delivery. */
  REQUIRED("required"),
  /** TLS from the first byte (port 465). */
  IMPLICIT("implicit"),
  /** Never TLS: only for relays on a trusted local network. */
  NONE("none");

  private final String yamlName;

  TlsMode(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }
}
