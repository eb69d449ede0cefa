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
   * The journal just written and renamed into place, still open for appends.
   *
   * @param size its length in bytes
   */
  record Written(FileChannel channel, long size) {}

  /**
   * Writes journal {@code number} and renames it into place. When it throws, nothing but a
   * temporary file may have changed. The file is returned open: once renamed it is the newest
   * journal and recovery's choice, so nothing that can fail (such as opening it again, with file
   * descriptors exhausted) may come between the rename and the appends that follow.
   */
  static Written write(Path dir, long number, Collection<SpoolEntry> live, Clock clock, Fsync fsync)
      throws IOException {
    Path target = SpoolFiles.journal(dir, number);
    Path temp = target.resolveSibling(target.getFileName() + SpoolFiles.TEMP_SUFFIX);
    FileChannel out = null;
    try {
      out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      long size = writeRecords(out, number, live, clock, fsync);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return new Written(out, size);
    } catch (IOException | RuntimeException e) {
      try {
        if (out != null) {
          out.close();
        }
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static long writeRecords(
      FileChannel out, long number, Collection<SpoolEntry> live, Clock clock, Fsync fsync)
      throws IOException {
    long size = 0;
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
