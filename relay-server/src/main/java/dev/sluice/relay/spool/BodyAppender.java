package dev.sluice.relay.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends body records to the current segment, rolling to a new one when it is full. Records are
 * {@link #place placed} (their location fixed) during a batch, {@link #flush written} in one
 * gathering write, then {@link #force forced} once. Confined to the commit thread.
 */
final class BodyAppender implements Closeable {
  private final Path dir;
  private final long segmentBytes;
  private final long padChunk;
  private final Fsync fsync;
  private final List<ByteBuffer> pending = new ArrayList<>();
  private final List<Long> sealed = new ArrayList<>();

  private long nextNumber;
  private long number = -1;
  private FileChannel channel;
  private ZeroPadding padding;
  private long committed;
  private long written;
  private long end;
  private boolean unforced;
  private boolean rollBeforeNextWrite;

  BodyAppender(Path dir, long firstNumber, long segmentBytes, Fsync fsync) {
    this.dir = dir;
    this.nextNumber = firstNumber;
    this.segmentBytes = segmentBytes;
    this.padChunk = ZeroPadding.chunkFor(segmentBytes);
    this.fsync = fsync;
  }

  /** A location in a segment for {@code frame}; the bytes are written by {@link #flush}. */
  BodyLocation place(BodyFrame frame) throws IOException {
    if (channel == null
        || rollBeforeNextWrite
        || (end > 0 && end + frame.totalBytes() > segmentBytes)) {
      roll();
    }
    BodyLocation at = new BodyLocation(number, end + RecordCodec.BODY_PREFIX_BYTES);
    pending.add(frame.head().duplicate());
    pending.add(frame.body().duplicate());
    end += frame.totalBytes();
    return at;
  }

  /** Writes every placed record, and zeros past them (see {@link ZeroPadding}). */
  void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    ByteBuffer[] buffers = pending.toArray(new ByteBuffer[0]);
    channel.position(written);
    long total = end - written;
    long done = 0;
    int from = 0;
    while (done < total) {
      done += channel.write(buffers, from, buffers.length - from);
      while (from < buffers.length && !buffers[from].hasRemaining()) {
        from++;
      }
    }
    pending.clear();
    padding.padAfter(channel, end);
    written = end;
    unforced = true;
  }

  /** fdatasync of the current segment, if anything was written since the last one. */
  void force() throws IOException {
    if (unforced) {
      fsync.force(channel);
      unforced = false;
    }
  }

  /** The batch is durable: its records stay. */
  void commit() {
    committed = end;
  }

  /** The batch failed: drop its records, and write the next one to a fresh segment. */
  void abort() {
    pending.clear();
    unforced = false;
    rollBeforeNextWrite = true;
    if (channel != null) {
      try {
        channel.truncate(committed);
        padding.cut(committed);
      } catch (IOException e) {
        // The bytes past `committed` are referenced by no journal record: harmless.
      }
    }
    written = end = committed;
  }

  /** The segment being appended to, or -1 before the first body. */
  long current() {
    return number;
  }

  /** Segments sealed since the last call; candidates for deletion once empty. */
  List<Long> drainSealed() {
    List<Long> out = List.copyOf(sealed);
    sealed.clear();
    return out;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void roll() throws IOException {
    if (channel != null) {
      flush();
      force();
      channel.close();
      channel = null;
      sealed.add(number);
    }
    number = nextNumber++;
    rollBeforeNextWrite = false;
    committed = written = end = 0;
    channel =
        FileChannel.open(
            SpoolFiles.segment(dir, number),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    padding = new ZeroPadding(padChunk, segmentBytes, 0);
    // The directory entry must be durable before a journal record points into the file.
    fsync.forceDirectory(dir);
  }

  /** Where a body starts: segment number and offset of its first byte. */
  record BodyLocation(long segment, long offset) {}
}
