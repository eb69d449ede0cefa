package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Collection;

/**
 * Writes a journal that holds only the live entries: a CHECKPOINT record, then one STORE record per
 * live message. Written to a temporary file, fsynced, then renamed into place; the caller fsyncs
 * the directory, and until that succeeded the previous journal must stay.
 */
final class Checkpoint {
  private static final int CHUNK_BYTES = 1 << 20;

  private Checkpoint() {}

  /**
   * Writes journal {@code number} and renames it into place; returns its size in bytes. When it
   * throws, nothing but a temporary file may have changed.
   */
  static long write(Path dir, long number, Collection<SpoolEntry> live, Clock clock, Fsync fsync)
      throws IOException {
    Path target = SpoolFiles.journal(dir, number);
    Path temp = target.resolveSibling(target.getFileName() + SpoolFiles.TEMP_SUFFIX);
    long size;
    try {
      size = writeRecords(temp, number, live, clock, fsync);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return size;
  }

  private static long writeRecords(
      Path temp, long number, Collection<SpoolEntry> live, Clock clock, Fsync fsync)
      throws IOException {
    long size = 0;
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      RecordBuffer records = new RecordBuffer(CHUNK_BYTES + (64 << 10));
      RecordCodec.encode(
          new JournalRecord.Checkpoint(
              RecordCodec.FORMAT_VERSION, number, live.size(), clock.millis()),
          records);
      for (SpoolEntry entry : live) {
        RecordCodec.encode(new JournalRecord.Store(entry), records);
        if (records.size() >= CHUNK_BYTES) {
          size += writeFully(out, records.frames());
          records.clear();
        }
      }
      size += writeFully(out, records.frames());
      fsync.force(out);
    }
    return size;
  }

  private static long writeFully(FileChannel out, ByteBuffer src) throws IOException {
    long n = src.remaining();
    while (src.hasRemaining()) {
      out.write(src);
    }
    return n;
  }
}
