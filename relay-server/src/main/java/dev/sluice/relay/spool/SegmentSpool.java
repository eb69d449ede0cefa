package dev.sluice.relay.spool;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * A {@link Spool} as an append-only log: bodies in {@code bodies-NNNNNN.seg} segments, envelopes
 * and state changes as small records in {@code journal-NNNNNN.log}, every record framed with a
 * CRC32C. One commit thread writes every pending change as a batch and fsyncs each file once per
 * batch (group commit). Opening replays the journal only, never the bodies; damaged records are
 * quarantined, never trusted and never fatal. See {@code docs/spool.md} for the format and the
 * durability argument.
 *
 * <p>Thread-safe. One spool per directory: a second {@code open} of the same directory fails while
 * the first is open, in this process or another.
 */
public final class SegmentSpool implements Spool {
  private static final System.Logger LOG = System.getLogger(SegmentSpool.class.getName());

  private final Path dir;
  private final SpoolOptions options;
  private final LongSupplier usableSpace;
  private final Fsync fsync;
  private final DirectoryLock lock;
  private final SegmentFiles segments;
  private final Quarantine quarantine;
  private final SpoolIndex index;
  private final SpoolWriter writer;
  private final GroupCommitter committer;
  private final MessageIdGenerator ids;
  private final List<String> report;
  private volatile boolean closed;
  private volatile boolean lowSpace;

  private SegmentSpool(Opened o) {
    this.dir = o.dir;
    this.options = o.options;
    this.usableSpace = o.usableSpace;
    this.fsync = o.fsync;
    this.lock = o.lock;
    this.segments = o.segments;
    this.quarantine = o.quarantine;
    this.index = o.index;
    this.writer = o.writer;
    this.committer = o.committer;
    this.ids = o.ids;
    this.report = new CopyOnWriteArrayList<>(o.report);
  }

  /**
   * Opens (creating if needed) the spool in {@code dir} and recovers it. {@code clock} dates queue
   * ids, checkpoints and quarantine notes.
   */
  public static SegmentSpool open(Path dir, SpoolOptions options, Clock clock) throws IOException {
    Files.createDirectories(dir);
    FileStore store = Files.getFileStore(dir);
    LongSupplier usableSpace =
        new RecentFreeSpace(() -> usableSpace(store), System::nanoTime, options.minFreeBytes());
    return open(dir, options, clock, usableSpace, Fsync.SYSTEM);
  }

  /** As {@link #open(Path, SpoolOptions, Clock)}, with the free-space probe and fsync given. */
  static SegmentSpool open(
      Path dir, SpoolOptions options, Clock clock, LongSupplier usableSpace, Fsync.Call fsyncCall)
      throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(clock, "clock");
    Files.createDirectories(dir);
    long started = System.nanoTime();
    Opened o = new Opened(dir, options, usableSpace, new Fsync(fsyncCall));
    List<Closeable> opened = new ArrayList<>();
    try {
      o.lock = DirectoryLock.acquire(dir);
      opened.add(o.lock);
      o.segments = new SegmentFiles(dir);
      opened.add(o.segments);
      o.quarantine = new Quarantine(dir, o.fsync, clock);
      Recovery.Result r = Recovery.run(dir, o.segments, o.quarantine);
      long padChunk = ZeroPadding.chunkFor(options.segmentBytes());
      JournalWriter journal;
      if (r.checkpointNeeded()) {
        journal =
            JournalWriter.create(
                dir, r.journalNumber(), r.live().values(), clock, padChunk, o.fsync);
        opened.add(journal);
        journal.syncDirectory();
      } else {
        journal = JournalWriter.reopen(dir, r.journalNumber(), r.validBytes(), padChunk, o.fsync);
        opened.add(journal);
      }
      for (Path stale : r.staleJournals()) {
        Files.deleteIfExists(stale);
      }
      o.index = new SpoolIndex(r.live());
      dropUnusedSegments(dir, o.index, o.segments, r.segmentsAside());
      BodyAppender bodies = new BodyAppender(dir, r.nextSegment(), options.segmentBytes(), o.fsync);
      o.writer =
          new SpoolWriter(journal, bodies, o.segments, o.index, options.segmentBytes(), clock);
      o.committer = new GroupCommitter(o.writer, options.maxCommitDelay());
      o.ids = new MessageIdGenerator(clock, r.newestId());
      o.report = r.report();
    } catch (IOException | RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    o.committer.start();
    for (String line : o.report) {
      LOG.log(Level.WARNING, "spool recovery: " + line);
    }
    LOG.log(
        Level.INFO,
        String.format(
            "spool %s recovered %d messages in %d ms",
            dir, o.index.size(), (System.nanoTime() - started) / 1_000_000));
    return new SegmentSpool(o);
  }

  @Override
  public CompletableFuture<SpoolEntry> store(SpoolEnvelope envelope, ByteBuffer body) {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(body, "body");
    CompletableFuture<SpoolEntry> done = new CompletableFuture<>();
    long free = usableSpace.getAsLong();
    if (free - body.remaining() < options.minFreeBytes()) {
      if (!lowSpace) {
        LOG.log(
            Level.WARNING,
            String.format(
                "spool %s: %d MiB free, under the threshold of %d MiB: refusing messages",
                dir, free >> 20, options.minFreeBytes() >> 20));
      }
      lowSpace = true;
      done.completeExceptionally(
          new SpoolException(
              String.format(
                  "spool %s has %d bytes free, under the threshold of %d",
                  dir, free, options.minFreeBytes())));
      return done;
    }
    lowSpace = false;
    MessageId id = ids.next();
    committer.submit(new PendingWrite.Store(RecordCodec.bodyFrame(id, body), envelope, done));
    return done;
  }

  @Override
  public ByteBuffer readBody(MessageId id) throws IOException {
    SpoolEntry entry = index.get(id);
    if (entry == null) {
      throw new SpoolException("message " + id + " is not in the spool");
    }
    ByteBuffer raw;
    try {
      raw = segments.readBodyRecord(entry);
    } catch (NoSuchFileException e) {
      if (index.get(id) == null) {
        throw new SpoolException("message " + id + " was removed while being read", e);
      }
      throw quarantineOnRead(entry, "body segment " + entry.bodySegment() + " is missing");
    } catch (ClosedChannelException e) {
      throw new SpoolException("message " + id + " was removed while being read", e);
    }
    try {
      return RecordCodec.checkBody(id, raw, entry.bodyLength());
    } catch (MalformedRecordException e) {
      throw quarantineOnRead(entry, "body record damaged: " + e.getMessage());
    }
  }

  @Override
  public CompletableFuture<Void> update(SpoolEntry entry) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    committer.submit(new PendingWrite.Update(entry.id(), entry.envelope(), entry.state(), done));
    return done;
  }

  @Override
  public CompletableFuture<Void> remove(MessageId id) {
    Objects.requireNonNull(id, "id");
    CompletableFuture<Void> done = new CompletableFuture<>();
    committer.submitLazily(new PendingWrite.Remove(id, null, done));
    return done;
  }

  @Override
  public Collection<SpoolEntry> entries() {
    return index.snapshot();
  }

  @Override
  public boolean writable() {
    return !closed && committer.running() && !writer.failed();
  }

  @Override
  public boolean healthy() {
    return writable() && usableSpace.getAsLong() >= options.minFreeBytes();
  }

  /**
   * What recovery found at open (a torn tail cut, messages quarantined), followed by every
   * quarantine since. Empty after a clean shutdown and start.
   */
  public List<String> recoveryReport() {
    return List.copyOf(report);
  }

  @Override
  public long quarantined() {
    return quarantine.written();
  }

  /** How many fsyncs (files and directories) this spool has made since it was opened. */
  public long fsyncCount() {
    return fsync.count();
  }

  /** The directory of this spool. */
  public Path directory() {
    return dir;
  }

  /** Writes a tiny record, to find out whether the disk takes writes again. */
  CompletableFuture<Void> probe() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    committer.submit(new PendingWrite.Probe(done));
    return done;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      committer.close();
    } finally {
      try {
        writer.close();
        segments.close();
      } finally {
        lock.close();
      }
    }
  }

  private SpoolException quarantineOnRead(SpoolEntry entry, String reason) throws IOException {
    MessageId id = entry.id();
    try {
      quarantine.put(
          new Quarantine.Casualty(
              id.value(),
              reason,
              entry.envelope(),
              entry.state(),
              List.of(),
              segments.salvage(id, entry)));
    } catch (IOException e) {
      throw new SpoolException(
          "message " + id + ": " + reason + "; moving it to quarantine failed too", e);
    }
    CompletableFuture<Void> removed = new CompletableFuture<>();
    committer.submit(new PendingWrite.Remove(id, reason, removed));
    if (!committer.isCommitThread()) {
      try {
        removed.get();
      } catch (ExecutionException e) {
        throw new SpoolException(
            "message " + id + ": " + reason + "; quarantined, but not yet marked so", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SpoolException("interrupted while quarantining message " + id, e);
      }
    }
    String line = "quarantined message " + id + ": " + reason + "; see quarantine/" + id;
    report.add(line);
    LOG.log(Level.WARNING, "spool: " + line);
    return new SpoolException("message " + id + " " + reason + "; moved to quarantine");
  }

  private static void dropUnusedSegments(
      Path dir, SpoolIndex index, SegmentFiles segments, Path aside) throws IOException {
    for (Map.Entry<Long, Path> segment : SpoolFiles.segments(dir).entrySet()) {
      if (index.inUse(segment.getKey())) {
        continue;
      }
      segments.forget(segment.getKey()); // recovery may have read it: no descriptor stays open
      if (aside == null) {
        Files.deleteIfExists(segment.getValue());
      } else {
        Files.createDirectories(aside);
        Files.move(segment.getValue(), aside.resolve(segment.getValue().getFileName()));
      }
    }
  }

  private static long usableSpace(FileStore store) {
    try {
      return store.getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  /** What {@code open} assembles, in order. */
  private static final class Opened {
    final Path dir;
    final SpoolOptions options;
    final LongSupplier usableSpace;
    final Fsync fsync;
    DirectoryLock lock;
    SegmentFiles segments;
    Quarantine quarantine;
    SpoolIndex index;
    SpoolWriter writer;
    GroupCommitter committer;
    MessageIdGenerator ids;
    List<String> report;

    Opened(Path dir, SpoolOptions options, LongSupplier usableSpace, Fsync fsync) {
      this.dir = dir;
      this.options = options;
      this.usableSpace = usableSpace;
      this.fsync = fsync;
    }
  }
}
