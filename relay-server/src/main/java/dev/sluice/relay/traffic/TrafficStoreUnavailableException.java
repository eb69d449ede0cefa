package dev.sluice.relay.traffic;

/**
 * The shared traffic store could not answer: Redis refused the connection, timed out, or answered
 * an error. {@link FallbackTrafficStore} turns it into local limits; nothing else should see it.
 */
public final class TrafficStoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrafficStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
