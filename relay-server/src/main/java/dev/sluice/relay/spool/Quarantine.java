package dev.sluice.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves aside what is readable of a damaged message into {@code quarantine/<name>/}: {@code
 * reason.txt}, {@code envelope.txt} when an envelope is known, {@code body.eml} when the body
 * passed its CRC or {@code body.damaged} with the raw bytes when it did not, and {@code
 * record-N.bin} for each damaged journal record. Everything is fsynced before it returns, so the
 * caller may then drop the message from the journal. Writing the same name again replaces the
 * files: quarantining is idempotent. Thread-safe (each call writes its own directory).
 */
final class Quarantine {
  private final Path root;
  private final Path spoolDir;
  private final Fsync fsync;
  private final Clock clock;
  private final AtomicLong written = new AtomicLong();

  Quarantine(Path spoolDir, Fsync fsync, Clock clock) {
    this.spoolDir = spoolDir;
    this.root = spoolDir.resolve(SpoolFiles.QUARANTINE_DIR);
    this.fsync = fsync;
    this.clock = clock;
  }

  /** What is known of one damaged message. */
  record Casualty(
      String name,
      String reason,
      SpoolEnvelope envelope,
      Map<String, String> state,
      List<ByteBuffer> damagedRecords,
      BodySalvage body) {}

  /** The body as found: verified bytes, raw damaged bytes, or neither. */
  record BodySalvage(ByteBuffer good, ByteBuffer damaged, String problem) {
    static BodySalvage none(String problem) {
      return new BodySalvage(null, null, problem);
    }
  }

  /** Writes the casualty; returns its directory. */
  Path put(Casualty c) throws IOException {
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root);
      fsync.forceDirectory(spoolDir);
    }
    Path dir = root.resolve(c.name());
    boolean fresh = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    List<String> reason = new ArrayList<>();
    reason.add("quarantined: " + clock.instant());
    reason.add("reason: " + c.reason());
    if (c.body() != null && c.body().problem() != null) {
      reason.add("body: " + c.body().problem());
    }
    write(dir.resolve("reason.txt"), text(reason));
    if (c.envelope() != null) {
      write(dir.resolve("envelope.txt"), text(describe(c.envelope(), c.state())));
    }
    if (c.body() != null && c.body().good() != null) {
      write(dir.resolve("body.eml"), c.body().good());
    } else if (c.body() != null && c.body().damaged() != null) {
      write(dir.resolve("body.damaged"), c.body().damaged());
    }
    int n = 0;
    for (ByteBuffer record : c.damagedRecords()) {
      write(dir.resolve("record-" + ++n + ".bin"), record);
    }
    fsync.forceDirectory(dir);
    if (fresh) {
      fsync.forceDirectory(root);
    }
    written.incrementAndGet();
    return dir;
  }

  /** How many casualties were written since this object was made. */
  long written() {
    return written.get();
  }

  private static List<String> describe(SpoolEnvelope e, Map<String, String> state) {
    List<String> lines = new ArrayList<>();
    lines.add("sender: <" + e.sender() + ">");
    for (SpoolRecipient r : e.recipients()) {
      lines.add("recipient: <" + r.address() + "> notify=" + r.dsnNotify() + " orcpt=" + r.orcpt());
    }
    lines.add("tenant: " + e.tenant());
    lines.add("client: " + e.clientAddress() + " helo=" + e.helo());
    lines.add("tls: " + e.tls());
    lines.add("auth: " + e.authUser());
    lines.add("envid: " + e.envid() + " ret=" + e.ret());
    lines.add("received: " + e.receivedAt() + " size=" + e.size());
    if (state != null) {
      state.forEach((k, v) -> lines.add("state " + k + ": " + v));
    }
    return lines;
  }

  private static ByteBuffer text(List<String> lines) {
    return ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void write(Path file, ByteBuffer bytes) throws IOException {
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer src = bytes.duplicate();
      while (src.hasRemaining()) {
        out.write(src);
      }
      fsync.force(out);
    }
  }
}
