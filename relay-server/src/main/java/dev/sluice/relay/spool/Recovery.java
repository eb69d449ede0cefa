package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the index from the newest journal, reading no body. Cuts a torn tail; moves to
 * quarantine every message touched by a damaged record, and every message whose body segment is
 * missing or too short; asks for a fresh checkpoint when it quarantined anything, so that the
 * damage is not met again at the next start. Never throws for damage, only for I/O errors and a
 * journal from a newer format.
 */
final class Recovery {
  private static final int MAX_DAMAGE_COPY = 1 << 20;

  private final Path dir;
  private final SegmentFiles segments;
  private final Quarantine quarantine;
  private final List<String> report = new ArrayList<>();

  /**
   * What recovery found.
   *
   * @param live the live messages
   * @param journalNumber the journal to continue, or to create when {@code checkpointNeeded}
   * @param validBytes the length of that journal without its torn tail or its padding
   * @param checkpointNeeded whether journal {@code journalNumber} must be written afresh
   * @param staleJournals journals to delete once the journal in use is durable
   * @param nextSegment the number for the next body segment
   * @param newestId the newest id seen, or null
   * @param segmentsAside where to move body segments no live message uses, instead of deleting
   *     them; set when a damaged record could not be attributed, so its body may be among them
   * @param report one line per finding
   */
  record Result(
      Map<MessageId, SpoolEntry> live,
      long journalNumber,
      long validBytes,
      boolean checkpointNeeded,
      List<Path> staleJournals,
      long nextSegment,
      MessageId newestId,
      Path segmentsAside,
      List<String> report) {}

  private Recovery(Path dir, SegmentFiles segments, Quarantine quarantine) {
    this.dir = dir;
    this.segments = segments;
    this.quarantine = quarantine;
  }

  static Result run(Path dir, SegmentFiles segments, Quarantine quarantine) throws IOException {
    return new Recovery(dir, segments, quarantine).run();
  }

  private Result run() throws IOException {
    SpoolFiles.deleteTemporaryFiles(dir);
    TreeMap<Long, Path> journals = SpoolFiles.journals(dir);
    TreeMap<Long, Path> bodyFiles = SpoolFiles.segments(dir);
    long nextSegment = bodyFiles.isEmpty() ? 1 : bodyFiles.lastKey() + 1;
    if (journals.isEmpty()) {
      if (!bodyFiles.isEmpty()) {
        setAsideOrphanSegments(bodyFiles);
      }
      return new Result(Map.of(), 1, 0, true, List.of(), nextSegment, null, null, report);
    }
    long number = journals.lastKey();
    Path file = journals.lastEntry().getValue();
    List<Path> stale = new ArrayList<>(journals.headMap(number).values());

    Replay replay = new Replay(number);
    long size;
    int keep;
    boolean tornTail;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
      if (size > Integer.MAX_VALUE - Frame.HEADER_BYTES) {
        throw new SpoolException(file + " is larger than 2 GiB; it cannot be replayed");
      }
      MappedByteBuffer image = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      keep = JournalScanner.scan(image, replay);
      replay.tornId = RecordCodec.idHint(image, keep);
      tornTail = keep < size && !ZeroPadding.isPadding(image, keep);
    }
    if (replay.tooNew != null) {
      throw new SpoolException(
          file + " was written in spool format " + replay.tooNew + " by a newer Sluice");
    }
    if (tornTail) {
      String hint = replay.tornId == null ? "" : " (a record of message " + replay.tornId + ")";
      report.add(
          String.format(
              "%s: cut a torn tail of %d bytes at offset %d%s: a write interrupted by a crash,"
                  + " never acknowledged",
              file.getFileName(), size - keep, keep, hint));
    }
    if (!replay.startsWithCheckpoint && !stale.isEmpty()) {
      setAside(stale, "journals-superseded");
      report.add(
          file.getFileName()
              + " does not start with a checkpoint: the older journals were moved to"
              + " quarantine/journals-superseded instead of being deleted");
      stale.clear();
    }
    boolean quarantined = quarantineSuspects(replay, file);
    quarantined |= quarantineMissingBodies(replay.live);
    if (quarantined) {
      stale.add(file);
    }
    Path segmentsAside =
        replay.unattributed.isEmpty()
            ? null
            : dir.resolve(SpoolFiles.QUARANTINE_DIR)
                .resolve(String.format("journal-%06d-unreferenced-segments", number));
    if (segmentsAside != null) {
      report.add(
          "body segments without a live message are kept in quarantine/"
              + segmentsAside.getFileName()
              + ": the damaged records above may have pointed into them");
    }
    return new Result(
        replay.live,
        quarantined ? number + 1 : number,
        keep,
        quarantined,
        stale,
        Math.max(nextSegment, replay.maxSegment + 1),
        replay.newest,
        segmentsAside,
        report);
  }

  private boolean quarantineSuspects(Replay replay, Path file) throws IOException {
    for (Suspect s : replay.suspects.values()) {
      SpoolEntry entry = replay.live.remove(s.id);
      String reason = String.join("; ", s.whys) + " in " + file.getFileName();
      Quarantine.BodySalvage body = segments.salvage(s.id, entry);
      quarantine.put(
          new Quarantine.Casualty(
              s.id.value(),
              reason,
              entry != null ? entry.envelope() : s.envelope,
              entry != null ? entry.state() : s.state,
              s.damaged,
              body));
      report.add(
          "quarantined message "
              + s.id
              + ": "
              + reason
              + describe(body)
              + "; see quarantine/"
              + s.id);
    }
    for (Damage d : replay.unattributed) {
      String name = String.format("journal-%06d-at-%d", replay.journalNumber, d.position);
      String reason = d.why + " at offset " + d.position + " of " + file.getFileName();
      quarantine.put(new Quarantine.Casualty(name, reason, null, null, List.of(d.bytes), null));
      report.add(
          "quarantined a damaged record of no legible message: "
              + reason
              + "; see quarantine/"
              + name);
    }
    report.addAll(replay.notes);
    return !replay.suspects.isEmpty() || !replay.unattributed.isEmpty();
  }

  private boolean quarantineMissingBodies(Map<MessageId, SpoolEntry> live) throws IOException {
    Map<Long, Long> sizes = new HashMap<>();
    List<SpoolEntry> missing = new ArrayList<>();
    for (SpoolEntry e : live.values()) {
      long size = sizes.computeIfAbsent(e.bodySegment(), this::sizeOrMissing);
      if (e.bodyOffset() + e.bodyLength() > size) {
        missing.add(e);
      }
    }
    for (SpoolEntry e : missing) {
      live.remove(e.id());
      String reason =
          "body segment " + e.bodySegment() + " is missing or shorter than the journal says";
      quarantine.put(
          new Quarantine.Casualty(
              e.id().value(),
              reason,
              e.envelope(),
              e.state(),
              List.of(),
              segments.salvage(e.id(), e)));
      report.add("quarantined message " + e.id() + ": " + reason + "; see quarantine/" + e.id());
    }
    return !missing.isEmpty();
  }

  private long sizeOrMissing(long segment) {
    try {
      return segments.size(segment);
    } catch (IOException e) {
      return -1;
    }
  }

  private void setAsideOrphanSegments(TreeMap<Long, Path> bodyFiles) throws IOException {
    setAside(bodyFiles.values(), "segments-without-journal");
    report.add(
        bodyFiles.size()
            + " body segments but no journal: moved to quarantine/segments-without-journal");
  }

  private void setAside(Collection<Path> files, String name) throws IOException {
    Path aside = dir.resolve(SpoolFiles.QUARANTINE_DIR).resolve(name);
    Files.createDirectories(aside);
    for (Path file : files) {
      Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String describe(Quarantine.BodySalvage body) {
    if (body.good() != null) {
      return " (body intact)";
    }
    return " (body: " + body.problem() + ")";
  }

  private static ByteBuffer copy(ByteBuffer bytes) {
    ByteBuffer out = ByteBuffer.allocate(Math.min(bytes.remaining(), MAX_DAMAGE_COPY));
    out.put(bytes.duplicate().limit(bytes.position() + out.capacity()));
    return out.flip();
  }

  /** A message that a damaged record probably belongs to. */
  private static final class Suspect {
    final MessageId id;
    final List<String> whys = new ArrayList<>();
    final List<ByteBuffer> damaged = new ArrayList<>();
    SpoolEnvelope envelope;
    Map<String, String> state;

    Suspect(MessageId id) {
      this.id = id;
    }
  }

  private record Damage(int position, String why, ByteBuffer bytes) {}

  /** Applies the records of one journal, in order. */
  private static final class Replay implements JournalScanner.Visitor {
    final long journalNumber;
    final Map<MessageId, SpoolEntry> live = new HashMap<>();
    final Map<MessageId, Suspect> suspects = new LinkedHashMap<>();
    final List<Damage> unattributed = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    MessageId newest;
    MessageId tornId;
    long maxSegment;
    boolean startsWithCheckpoint;
    Integer tooNew;

    Replay(long journalNumber) {
      this.journalNumber = journalNumber;
    }

    @Override
    public void record(int position, JournalRecord record) {
      if (record instanceof JournalRecord.Store) {
        SpoolEntry entry = ((JournalRecord.Store) record).entry();
        seen(entry.id());
        live.put(entry.id(), entry);
        maxSegment = Math.max(maxSegment, entry.bodySegment());
      } else if (record instanceof JournalRecord.Update) {
        JournalRecord.Update u = (JournalRecord.Update) record;
        seen(u.id());
        SpoolEntry current = live.get(u.id());
        if (current != null) {
          live.put(u.id(), current.with(u.envelope(), u.state()));
        } else {
          Suspect s = suspects.computeIfAbsent(u.id(), Suspect::new);
          if (s.envelope == null) {
            s.whys.add("update at offset " + position + " of a message without a STORE record");
          }
          s.envelope = u.envelope();
          s.state = u.state();
        }
      } else if (record instanceof JournalRecord.Remove) {
        gone(((JournalRecord.Remove) record).id());
      } else if (record instanceof JournalRecord.Quarantine) {
        gone(((JournalRecord.Quarantine) record).id());
      } else if (record instanceof JournalRecord.Checkpoint) {
        startsWithCheckpoint |= position == 0;
        int version = ((JournalRecord.Checkpoint) record).formatVersion();
        if (version > RecordCodec.FORMAT_VERSION) {
          tooNew = version;
        }
      }
    }

    @Override
    public void damaged(int position, ByteBuffer view, String why, MessageId idHint) {
      ByteBuffer bytes = copy(view);
      if (idHint == null) {
        unattributed.add(new Damage(position, why, bytes));
        return;
      }
      seen(idHint);
      Suspect s = suspects.computeIfAbsent(idHint, Suspect::new);
      s.whys.add("damaged record at offset " + position + " (" + why + ")");
      s.damaged.add(bytes);
    }

    private void gone(MessageId id) {
      seen(id);
      live.remove(id);
      Suspect s = suspects.remove(id);
      if (s != null) {
        notes.add(
            "message "
                + id
                + " had "
                + String.join("; ", s.whys)
                + ", but was removed later: nothing to quarantine");
      }
    }

    private void seen(MessageId id) {
      if (newest == null || id.compareTo(newest) > 0) {
        newest = id;
      }
    }
  }
}
