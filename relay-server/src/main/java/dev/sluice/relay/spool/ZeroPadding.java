package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Zeros written ahead of the end of an append-only spool file, a chunk at a time. An fdatasync
 * after an append that stays inside them only writes data blocks; one after an append that grows
 * the file must also make its new size and blocks durable, which on ext4 is a journal commit and
 * about doubles the cost of the sync (docs/spool.md, "Why the files are padded"). The zeros are
 * written in the batch whose bytes reached the padded end, so that batch's fdatasync covers them.
 * Nothing reads them: body records are read where a journal record points, and recovery takes a
 * journal's tail of zeros for padding. Confined to the commit thread.
 */
final class ZeroPadding {
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();
  private static final long MAX_CHUNK_BYTES = 256 << 10;

  private final long chunk;
  private final long limit;
  private long padded;

  /**
   * @param chunk how far past the end to pad each time
   * @param limit the size past which no zeros are written (a segment's size)
   * @param size the file's size now
   */
  ZeroPadding(long chunk, long limit, long size) {
    this.chunk = chunk;
    this.limit = limit;
    this.padded = size;
  }

  /** The chunk for a spool with {@code segmentBytes} segments: 256 KiB, less for tiny segments. */
  static long chunkFor(long segmentBytes) {
    return Math.min(MAX_CHUNK_BYTES, segmentBytes / 16);
  }

  /** Bytes up to {@code end} are written: pads to the next chunk once they reach the zeros' end. */
  void padAfter(FileChannel channel, long end) throws IOException {
    if (end < padded) {
      return;
    }
    long target = Math.min((end / chunk + 1) * chunk, Math.max(limit, end));
    for (long at = end; at < target; ) {
      ByteBuffer zeros = ZEROS.duplicate();
      zeros.limit((int) Math.min(zeros.capacity(), target - at));
      at += channel.write(zeros, at);
    }
    padded = target;
  }

  /** The file was cut to {@code size}. */
  void cut(long size) {
    padded = size;
  }

  /**
   * Whether every byte of {@code image} from {@code from} on is zero: padding, not a torn write.
   */
  static boolean isPadding(ByteBuffer image, int from) {
    for (int i = from; i < image.limit(); i++) {
      if (image.get(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
