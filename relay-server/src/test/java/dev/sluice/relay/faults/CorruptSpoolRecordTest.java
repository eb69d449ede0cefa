package dev.sluice.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.testing.Await;
import dev.sluice.relay.testing.Ports;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Sluice started on a spool damaged while it was down (docs/spool.md, "Recovery" and
 * "Quarantine"): ten messages are queued while the upstream is unreachable, Sluice stops, one byte
 * is flipped in the middle of the journal record (STORE) of one message and in the middle of the
 * body record of another. On the next start both are quarantined and counted in {@code
 * sluice_spool_quarantined_total}, the other eight are delivered, and a second restart finds
 * nothing more to report or deliver.
 */
@Tag("faults")
class CorruptSpoolRecordTest {
  private static final int MESSAGES = 10;
  private static final String SPOOL = "spool: { dir: spool, min_free: 1MB }\n";
  private static final String BODY = ("y".repeat(70) + "\r\n").repeat(20);
  private static final byte STORE = 1;
  private static final byte BODY_RECORD = 16;
  private static final int HEADER = 9;

  @TempDir Path dir;

  /** One record found in a spool file: where its frame starts, its payload length and its id. */
  private record Frame(Path file, long position, int length, String id) {}

  @Test
  void damagedRecordsAreQuarantinedAndCountedTheRestDeliveredAndTheNextStartIsClean()
      throws Exception {
    List<String> tokens = new ArrayList<>();
    try (FaultSluice sluice = FaultSluice.start(dir, Ports.refusing(), SPOOL)) {
      for (int i = 0; i < MESSAGES; i++) {
        tokens.add("corrupt-" + i);
        assertThat(sluice.send(tokens.get(i), BODY)).startsWith("250 2.0.0 Ok: queued as ");
      }
    }
    Path spool = dir.resolve("spool");
    List<Frame> bodies = frames(files(spool, "bodies-"), BODY_RECORD);
    List<Frame> stores = frames(files(spool, "journal-"), STORE);
    Map<String, String> tokenOf = new LinkedHashMap<>();
    for (Frame f : bodies) {
      tokenOf.put(f.id(), token(f));
    }
    assertThat(tokenOf.values()).containsExactlyInAnyOrderElementsOf(tokens);
    assertThat(stores).extracting(Frame::id).containsAll(tokenOf.keySet());

    Frame damagedStore =
        stores.stream().filter(f -> f.id().equals(bodies.get(2).id())).toList().get(0);
    Frame damagedBody = bodies.get(6);
    flipMiddleByte(damagedStore);
    flipMiddleByte(damagedBody);
    Set<String> quarantined = Set.of(damagedStore.id(), damagedBody.id());
    Set<String> expected = new HashSet<>(tokens);
    quarantined.forEach(id -> expected.remove(tokenOf.get(id)));

    try (ScriptedSmtpServer sink = ScriptedSmtpServer.start("127.0.0.1")) {
      int port = sink.address().getPort();
      try (FaultSluice sluice = FaultSluice.start(dir, port, SPOOL)) {
        Await.until(
            "the spool is empty and the sink has the intact messages",
            () ->
                sluice.server.spool().entries().isEmpty()
                    && FaultSluice.delivered(sink).size() == expected.size());
        assertThat(FaultSluice.delivered(sink).keySet()).isEqualTo(expected);
        assertThat(sluice.metric("sluice_spool_quarantined_total")).isEqualTo(2);
      }
      for (String id : quarantined) {
        assertThat(spool.resolve("quarantine").resolve(id).resolve("reason.txt")).isRegularFile();
      }
      assertThat(spool.resolve("quarantine").resolve(damagedStore.id()).resolve("body.eml"))
          .as("the body of the message whose journal record was damaged is kept intact")
          .content(StandardCharsets.UTF_8)
          .contains("Subject: " + tokenOf.get(damagedStore.id()));

      try (FaultSluice sluice = FaultSluice.start(dir, port, SPOOL)) {
        assertThat(sluice.metric("sluice_spool_quarantined_total")).isZero();
        assertThat(sluice.server.spool().entries()).isEmpty();
      }
      assertThat(FaultSluice.delivered(sink))
          .as("each delivered once")
          .allSatisfy((t, n) -> assertThat(n).isEqualTo(1));
    }
  }

  private static List<Path> files(Path spool, String prefix) throws IOException {
    try (Stream<Path> list = Files.list(spool)) {
      return list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  /**
   * The records of {@code type} in these files, walking the frames of docs/spool.md: {@code [u32
   * length][u32 CRC][u8 type][payload]}, every payload starting with the queue id as {@code [u32
   * length][UTF-8]}.
   */
  private static List<Frame> frames(List<Path> files, byte type) throws IOException {
    List<Frame> found = new ArrayList<>();
    for (Path file : files) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
      int pos = 0;
      while (pos + HEADER <= b.limit()) {
        int length = b.getInt(pos);
        if (b.get(pos + 8) == type) {
          int idLength = b.getInt(pos + HEADER);
          byte[] id = new byte[idLength];
          b.get(pos + HEADER + 4, id);
          found.add(new Frame(file, pos, length, new String(id, StandardCharsets.UTF_8)));
        }
        pos += HEADER + length;
      }
    }
    return found;
  }

  private static String token(Frame body) throws IOException {
    byte[] all = Files.readAllBytes(body.file());
    String payload =
        new String(all, (int) body.position() + HEADER, body.length(), StandardCharsets.UTF_8);
    Matcher m = FaultSluice.SUBJECT.matcher(payload);
    if (!m.find()) {
      throw new AssertionError("no subject in the body record of " + body.id());
    }
    return m.group(1);
  }

  /** Flips every bit of the byte in the middle of the record's payload: its CRC no longer holds. */
  private static void flipMiddleByte(Frame f) throws IOException {
    try (FileChannel file =
        FileChannel.open(f.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = f.position() + HEADER + f.length() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      file.read(one, at);
      one.put(0, (byte) ~one.get(0)).rewind();
      file.write(one, at);
    }
  }
}
