package dev.sluice.relay.admin;

/**
 * A request the API refuses: the status (4xx) and a message for the client, sent as {@code
 * {"error": message}}. Thrown from request parsing, where returning a value through every helper
 * would bury the endpoint's logic.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ApiException(int status, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("an API refusal is a 4xx, not " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
