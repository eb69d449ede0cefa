package dev.sluice.relay.spool;

/**
 * One copy of the strings that repeat across queued messages. A queue holds every live message's
 * envelope and scheduler state in the heap; its sender, client address, HELO, the state's keys and
 * the deferral reason are mostly the same few strings, and a million queued messages would
 * otherwise carry a million copies of each (about 0.5 KB of heap per message). The JVM's string
 * table keeps the shared copy, and lets it go when no message refers to it any more.
 */
public final class SharedStrings {
  private SharedStrings() {}

  /** The shared copy of {@code s}, equal to it; null for null. */
  public static String of(String s) {
    return s == null ? null : s.intern();
  }
}
