package dev.sluice.relay.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and deletes body segments ({@code bodies-NNNNNN.seg}). Reads are positional and may run on
 * any thread; deletion is for the commit thread. A reader racing with the deletion of a segment
 * gets an {@link IOException}: segments are deleted only once none of their messages is live, so
 * only readers of removed messages can race. Segment numbers are never reused while the spool is
 * open, so a deleted one is remembered, and a reader that opened it just before the deletion does
 * not keep its descriptor (and its disk space) for the life of the process.
 */
final class SegmentFiles implements Closeable {
  private final Path dir;
  private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();
  private final Set<Long> deleted = ConcurrentHashMap.newKeySet();

  SegmentFiles(Path dir) {
    this.dir = dir;
  }

  /** Up to {@code length} bytes at {@code position}; fewer when the file ends first. */
  ByteBuffer read(long segment, long position, int length) throws IOException {
    FileChannel channel = channel(segment);
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = channel.read(buf, position + buf.position());
      if (n < 0) {
        break;
      }
    }
    return buf.flip();
  }

  /** The raw bytes of the body record of {@code entry}; short when the segment is. */
  ByteBuffer readBodyRecord(SpoolEntry entry) throws IOException {
    return read(
        entry.bodySegment(),
        entry.bodyOffset() - RecordCodec.BODY_PREFIX_BYTES,
        RecordCodec.BODY_PREFIX_BYTES + entry.bodyLength());
  }

  /** The size of a segment file, or -1 when it does not exist. */
  long size(long segment) throws IOException {
    Path file = SpoolFiles.segment(dir, segment);
    return Files.exists(file) ? Files.size(file) : -1;
  }

  void delete(long segment) throws IOException {
    forget(segment);
    Files.deleteIfExists(SpoolFiles.segment(dir, segment));
  }

  /** Closes what is open of {@code segment}, which is about to be deleted or moved away. */
  void forget(long segment) throws IOException {
    deleted.add(segment);
    FileChannel channel = open.remove(segment);
    if (channel != null) {
      channel.close();
    }
  }

  /**
   * Looks for the body record of {@code id} by hopping from record header to record header through
   * every segment: salvage for a message whose journal record is damaged. Returns the raw record
   * (its CRC unchecked), or null.
   */
  ByteBuffer findBodyRecord(MessageId id) throws IOException {
    for (Long segment : SpoolFiles.segments(dir).keySet()) {
      long size = size(segment);
      long pos = 0;
      while (pos + RecordCodec.BODY_PREFIX_BYTES <= size) {
        ByteBuffer head = read(segment, pos, RecordCodec.BODY_PREFIX_BYTES);
        int length = head.getInt(0);
        if (head.get(8) != Frame.BODY || length < RecordCodec.ID_FIELD_BYTES) {
          break;
        }
        if (id.equals(RecordCodec.idHint(head, 0))) {
          long available = Math.min(Frame.HEADER_BYTES + (long) length, size - pos);
          return read(segment, pos, (int) available);
        }
        pos += Frame.HEADER_BYTES + (long) length;
      }
    }
    return null;
  }

  /**
   * What can be read of the body of {@code id}: from {@code entry}'s location when known, else
   * found by {@link #findBodyRecord}. Never throws: a failure is described in the result.
   */
  Quarantine.BodySalvage salvage(MessageId id, SpoolEntry entry) {
    try {
      ByteBuffer raw = entry != null ? readBodyRecord(entry) : findBodyRecord(id);
      if (raw == null || raw.remaining() < RecordCodec.BODY_PREFIX_BYTES) {
        return Quarantine.BodySalvage.none("no body record found");
      }
      int length = entry != null ? entry.bodyLength() : raw.getInt(0) - RecordCodec.ID_FIELD_BYTES;
      try {
        return new Quarantine.BodySalvage(RecordCodec.checkBody(id, raw, length), null, null);
      } catch (MalformedRecordException e) {
        return new Quarantine.BodySalvage(null, raw, e.getMessage());
      }
    } catch (IOException e) {
      return Quarantine.BodySalvage.none("body unreadable: " + e);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Long segment : open.keySet()) {
      FileChannel channel = open.remove(segment);
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private FileChannel channel(long segment) throws IOException {
    FileChannel channel = open.get(segment);
    if (channel != null) {
      return channel;
    }
    Path file = SpoolFiles.segment(dir, segment);
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ);
    FileChannel raced = open.putIfAbsent(segment, fresh);
    if (raced != null) {
      fresh.close();
      return raced;
    }
    if (deleted.contains(segment)) {
      // forget() ran between the existence check and the put: nobody else will close this one.
      open.remove(segment, fresh);
      fresh.close();
      throw new NoSuchFileException(file.toString());
    }
    return fresh;
  }
}
