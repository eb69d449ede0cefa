package dev.sluice.relay.logging;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;

/** Where log lines end up: standard output or a rotated file. Used by one thread at a time. */
public interface LogOutput extends AutoCloseable {
  /** Writes one line; the newline is added here. */
  void write(String line) throws IOException;

  void flush() throws IOException;

  @Override
  void close() throws IOException;

  /**
   * Standard output, which systemd hands to journald, in UTF-8. Buffered: a batch of lines is one
   * write (System.out would write each line on its own). Closing it only flushes.
   */
  static LogOutput stdout() {
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), UTF_8), 1 << 16);
    return new LogOutput() {
      @Override
      public void write(String line) throws IOException {
        out.write(line);
        out.write('\n');
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }
}
