package dev.sluice.relay.spool;

/** A frame whose CRC matched but whose payload does not decode: treated as damage. */
final class MalformedRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedRecordException(String message) {
    super(message);
  }
}
