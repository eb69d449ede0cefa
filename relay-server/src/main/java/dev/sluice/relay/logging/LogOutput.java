package dev.sluice.relay.logging;

import java.io.IOException;

/** Where log lines end up: standard output or a rotated file. Used by one thread at a time. */
public interface LogOutput extends AutoCloseable {
  /** Writes one line; the newline is added here. */
  void write(String line) throws IOException;

  void flush() throws IOException;

  @Override
  void close() throws IOException;

  /** Standard output, which systemd hands to journald. Closing it only flushes. */
  static LogOutput stdout() {
    return new LogOutput() {
      @Override
      public void write(String line) {
        System.out.println(line);
      }

      @Override
      public void flush() {
        System.out.flush();
      }

      @Override
      public void close() {
        System.out.flush();
      }
    };
  }
}
