package dev.sluice.relay.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Collection;

/**
 * Appends records to the current journal file, with zeros written ahead of them ({@link
 * ZeroPadding}). A batch is {@link #append appended} and {@link #force forced}, then {@link #commit
 * committed}; a failed batch is cut off again by {@link #abort}, and nothing more is appended until
 * that cut succeeded, so a journal never holds a record of a failed batch followed by good ones.
 * Confined to the commit thread.
 */
final class JournalWriter implements Closeable {
  private final Path dir;
  private final Fsync fsync;
  private final long number;
  private final FileChannel channel;
  private final long padChunk;
  private final ZeroPadding padding;
  private long committed;
  private long end;
  private boolean dirty;
  private boolean directoryUnsynced;

  private JournalWriter(
      Path dir, Fsync fsync, long number, FileChannel channel, long size, long padChunk) {
    this.dir = dir;
    this.fsync = fsync;
    this.number = number;
    this.channel = channel;
    this.padChunk = padChunk;
    this.padding = new ZeroPadding(padChunk, Long.MAX_VALUE, size);
    this.committed = size;
    this.end = size;
  }

  /**
   * Continues journal {@code number}, first cutting it to {@code validBytes} (a torn tail or
   * padding); pads {@code padChunk} bytes at a time.
   */
  static JournalWriter reopen(Path dir, long number, long validBytes, long padChunk, Fsync fsync)
      throws IOException {
    FileChannel channel =
        FileChannel.open(SpoolFiles.journal(dir, number), StandardOpenOption.WRITE);
    try {
      if (channel.size() > validBytes) {
        channel.truncate(validBytes);
        fsync.force(channel);
      }
      return new JournalWriter(dir, fsync, number, channel, validBytes, padChunk);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Starts journal {@code number} as a checkpoint of {@code live}. Its directory entry is fsynced
   * by {@link #syncDirectory}, at the latest before the first append.
   */
  static JournalWriter create(
      Path dir, long number, Collection<SpoolEntry> live, Clock clock, long padChunk, Fsync fsync)
      throws IOException {
    Checkpoint.Written written = Checkpoint.write(dir, number, live, clock, fsync);
    JournalWriter writer =
        new JournalWriter(dir, fsync, number, written.channel(), written.size(), padChunk);
    writer.directoryUnsynced = true;
    return writer;
  }

  /**
   * A checkpoint of {@code live} as the next journal, which replaces this one. When it throws, this
   * writer stays in use. Once the new journal is renamed into place it is the one in use, whatever
   * fails after: this one is deleted only after the rename is durable.
   */
  JournalWriter rotate(Collection<SpoolEntry> live, Clock clock) throws IOException {
    JournalWriter next = create(dir, number + 1, live, clock, padChunk, fsync);
    try {
      channel.close();
      next.syncDirectory();
      Files.deleteIfExists(SpoolFiles.journal(dir, number));
    } catch (IOException e) {
      // The next append syncs the directory again; recovery deletes a journal left behind.
    }
    return next;
  }

  /** Makes the rename of a new journal durable; appends wait for it. */
  void syncDirectory() throws IOException {
    if (directoryUnsynced) {
      fsync.forceDirectory(dir);
      directoryUnsynced = false;
    }
  }

  void append(ByteBuffer records) throws IOException {
    syncDirectory();
    if (dirty) {
      channel.truncate(committed);
      padding.cut(committed);
      dirty = false;
    }
    long at = end;
    ByteBuffer src = records.duplicate();
    end += src.remaining();
    while (src.hasRemaining()) {
      at += channel.write(src, at);
    }
    padding.padAfter(channel, end);
  }

  void force() throws IOException {
    fsync.force(channel);
  }

  void commit() {
    committed = end;
  }

  void abort() {
    end = committed;
    dirty = true;
    try {
      channel.truncate(committed);
      padding.cut(committed);
      dirty = false;
    } catch (IOException e) {
      // Retried by the next append, which fails as long as the cut does.
    }
  }

  /** Committed bytes. */
  long size() {
    return committed;
  }

  long number() {
    return number;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
