package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every fsync of the spool goes through here: it counts them, and tests replace the system call to
 * inject failures. Thread-safe.
 */
final class Fsync {
  /** The system call; tests substitute one that fails. */
  interface Call {
    void force(FileChannel channel) throws IOException;
  }

  static final Call SYSTEM = channel -> channel.force(false);

  private final Call call;
  private final AtomicLong count = new AtomicLong();

  Fsync(Call call) {
    this.call = call;
  }

  /** fdatasync: the file's bytes and what is needed to read them back. */
  void force(FileChannel channel) throws IOException {
    count.incrementAndGet();
    call.force(channel);
  }

  /** fsync of a directory, so that files created, renamed or deleted in it stay so. */
  void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      force(channel);
    }
  }

  long count() {
    return count.get();
  }
}
