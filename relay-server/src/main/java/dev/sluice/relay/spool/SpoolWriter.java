package dev.sluice.relay.spool;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes one batch durable: body records first, fsync of the body segment, then the journal records,
 * fsync of the journal; only then the index changes and the futures complete. So a STORE record can
 * only be on disk once its body is. On an I/O error every future of the batch fails with {@link
 * SpoolException}, whatever was written of the batch is cut off, and the writer reports itself
 * {@link #failed} until a later batch succeeds. Confined to the commit thread.
 *
 * <p>A batch of REMOVEs only (quarantines excepted) is written but not fsynced: the next fsync of
 * the journal covers it. Losing one to a power cut only delivers its message again (at least once),
 * and a {@code kill -9} loses nothing written. A body segment is deleted only once the REMOVEs that
 * emptied it are fsynced, so no STORE on disk ever points into a deleted segment.
 */
final class SpoolWriter implements Closeable {
  private static final System.Logger LOG = System.getLogger(SegmentSpool.class.getName());

  private final BodyAppender bodies;
  private final SegmentFiles segments;
  private final SpoolIndex index;
  private final long segmentBytes;
  private final Clock clock;
  private final RecordBuffer records = new RecordBuffer(256 << 10);
  private JournalWriter journal;
  private boolean journalUnsynced;
  private long rotateAt;
  private volatile boolean failed;

  SpoolWriter(
      JournalWriter journal,
      BodyAppender bodies,
      SegmentFiles segments,
      SpoolIndex index,
      long segmentBytes,
      Clock clock) {
    this.journal = journal;
    this.bodies = bodies;
    this.segments = segments;
    this.index = index;
    this.segmentBytes = segmentBytes;
    this.clock = clock;
    this.rotateAt = rotationThreshold(journal.size());
  }

  /** Whether the last batch failed. */
  boolean failed() {
    return failed;
  }

  /** Writes, fsyncs, applies and completes {@code batch}. */
  void commit(List<PendingWrite> batch) {
    records.clear();
    List<Applied> applied = new ArrayList<>(batch.size());
    Map<MessageId, SpoolEntry> overlay = new HashMap<>();
    try {
      for (PendingWrite write : batch) {
        encode(write, overlay, applied);
      }
      bodies.flush();
      bodies.force();
      if (!records.isEmpty()) {
        journal.append(records.frames());
        if (removesOnly(batch)) {
          journalUnsynced = true;
        } else {
          journal.force();
          journalUnsynced = false;
        }
      }
    } catch (IOException | RuntimeException e) {
      bodies.abort();
      journal.abort();
      if (!failed) {
        LOG.log(Level.ERROR, "spool write failed; refusing messages until a write succeeds", e);
      }
      failed = true;
      SpoolException error = new SpoolException("spool write failed: " + e.getMessage(), e);
      // Writes refused one by one are complete already; failing them again changes nothing.
      batch.forEach(w -> w.fail(error));
      deleteUnused(new TreeSet<>());
      return;
    }
    bodies.commit();
    journal.commit();
    if (failed) {
      LOG.log(Level.INFO, "spool writes succeed again");
      failed = false;
    }
    Set<Long> removedFrom = new TreeSet<>();
    for (Applied a : applied) {
      a.applyTo(index, removedFrom);
    }
    // Space is reclaimed before the futures complete: once remove() completes, an emptied
    // segment is gone. One unlink per segment, so this costs the batch next to nothing.
    deleteUnused(removedFrom);
    applied.forEach(Applied::complete);
    maybeRotate();
  }

  @Override
  public void close() throws IOException {
    try {
      bodies.close();
    } finally {
      journal.close();
    }
  }

  private void encode(PendingWrite write, Map<MessageId, SpoolEntry> overlay, List<Applied> applied)
      throws IOException {
    if (write instanceof PendingWrite.Store) {
      PendingWrite.Store s = (PendingWrite.Store) write;
      BodyAppender.BodyLocation at = bodies.place(s.frame());
      SpoolEntry entry =
          new SpoolEntry(
              s.frame().id(),
              s.envelope(),
              Map.of(),
              at.segment(),
              at.offset(),
              s.frame().bodyLength());
      RecordCodec.encode(new JournalRecord.Store(entry), records);
      overlay.put(entry.id(), entry);
      applied.add(new Applied(write, entry, null));
    } else if (write instanceof PendingWrite.Update) {
      PendingWrite.Update u = (PendingWrite.Update) write;
      SpoolEntry current = overlay.containsKey(u.id()) ? overlay.get(u.id()) : index.get(u.id());
      if (current == null) {
        u.done().completeExceptionally(new SpoolException("message " + u.id() + " is not live"));
        return;
      }
      SpoolEntry entry = current.with(u.envelope(), u.state());
      RecordCodec.encode(
          new JournalRecord.Update(u.id(), entry.envelope(), entry.state()), records);
      overlay.put(entry.id(), entry);
      applied.add(new Applied(write, entry, null));
    } else if (write instanceof PendingWrite.Remove) {
      PendingWrite.Remove r = (PendingWrite.Remove) write;
      SpoolEntry current = overlay.containsKey(r.id()) ? overlay.get(r.id()) : index.get(r.id());
      if (current == null) {
        r.done().complete(null);
        return;
      }
      RecordCodec.encode(
          r.quarantineReason() == null
              ? new JournalRecord.Remove(r.id())
              : new JournalRecord.Quarantine(r.id(), r.quarantineReason()),
          records);
      overlay.put(r.id(), null);
      applied.add(new Applied(write, null, r.id()));
    } else {
      RecordCodec.encode(new JournalRecord.Noop(), records);
      applied.add(new Applied(write, null, null));
    }
  }

  private static boolean removesOnly(List<PendingWrite> batch) {
    for (PendingWrite write : batch) {
      if (!(write instanceof PendingWrite.Remove)
          || ((PendingWrite.Remove) write).quarantineReason() != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Deletes {@code segments} after fsyncing any REMOVEs written without one; if that fsync fails
   * they stay, and the next start drops them.
   */
  private void deleteOnceRemovesAreDurable(List<Long> segments) {
    if (segments.isEmpty()) {
      return;
    }
    if (journalUnsynced) {
      try {
        journal.force();
        journalUnsynced = false;
      } catch (IOException e) {
        LOG.log(
            Level.WARNING, "journal fsync failed; emptied body segments are deleted at start", e);
        return;
      }
    }
    segments.forEach(this::deleteSegment);
  }

  /**
   * Deletes the segments among {@code candidates} and those sealed since the last call that no live
   * message uses, the current one excepted. Judged with the whole batch in the index: a later STORE
   * of a batch may have refilled a segment that one of its REMOVEs emptied.
   */
  private void deleteUnused(Set<Long> candidates) {
    candidates.addAll(bodies.drainSealed());
    List<Long> unused = new ArrayList<>();
    for (long segment : candidates) {
      if (segment != bodies.current() && !index.inUse(segment)) {
        unused.add(segment);
      }
    }
    deleteOnceRemovesAreDurable(unused);
  }

  private void deleteSegment(long segment) {
    try {
      segments.delete(segment);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete body segment " + segment + "; retried at start", e);
    }
  }

  private void maybeRotate() {
    if (journal.size() < rotateAt) {
      return;
    }
    long before = journal.size();
    try {
      journal = journal.rotate(index.snapshot(), clock);
      rotateAt = rotationThreshold(journal.size());
      LOG.log(
          Level.DEBUG,
          "journal checkpoint "
              + journal.number()
              + ": "
              + before
              + " -> "
              + journal.size()
              + " bytes");
    } catch (IOException e) {
      rotateAt = before + segmentBytes / 4;
      LOG.log(Level.WARNING, "journal checkpoint failed; the journal keeps growing", e);
    }
  }

  /** Checkpoint when the journal is past a segment and twice its live size: amortised O(1). */
  private long rotationThreshold(long checkpointBytes) {
    return Math.max(segmentBytes, 2 * checkpointBytes);
  }

  /** One write of a successful batch: what it changes in the index. */
  private record Applied(PendingWrite write, SpoolEntry entry, MessageId removed) {
    /** Applies the write; adds the body segment of a removed message to {@code removedFrom}. */
    void applyTo(SpoolIndex index, Set<Long> removedFrom) {
      if (entry != null) {
        index.put(entry);
      } else if (removed != null) {
        SpoolEntry gone = index.remove(removed);
        if (gone != null) {
          removedFrom.add(gone.bodySegment());
        }
      }
    }

    void complete() {
      if (write instanceof PendingWrite.Store) {
        ((PendingWrite.Store) write).done().complete(entry);
      } else if (write instanceof PendingWrite.Update) {
        ((PendingWrite.Update) write).done().complete(null);
      } else if (write instanceof PendingWrite.Remove) {
        ((PendingWrite.Remove) write).done().complete(null);
      } else {
        ((PendingWrite.Probe) write).done().complete(null);
      }
    }
  }
}
