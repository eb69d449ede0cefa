package dev.sluice.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private static final MessageId ID = MessageId.of(1_700_000_000_000L, 42);

  @Test
  void everyRecordTypeDecodesToWhatWasEncoded() throws Exception {
    SpoolEntry entry =
        new SpoolEntry(
            ID, SpoolFixtures.envelope(3), Map.of("next", "x", "attempts", "3"), 7, 25, 99);
    List<JournalRecord> records =
        List.of(
            new JournalRecord.Checkpoint(RecordCodec.FORMAT_VERSION, 4, 1, 123),
            new JournalRecord.Store(entry),
            new JournalRecord.Update(ID, SpoolFixtures.envelope(4), Map.of("k", "v")),
            new JournalRecord.Quarantine(ID, "body CRC mismatch"),
            new JournalRecord.Remove(ID),
            new JournalRecord.Noop());
    RecordBuffer out = new RecordBuffer(16);
    for (JournalRecord r : records) {
      RecordCodec.encode(r, out);
    }
    List<SpoolFixtures.Located> read = SpoolFixtures.records(out.frames());
    assertThat(read).extracting(SpoolFixtures.Located::record).isEqualTo(records);
  }

  @Test
  void messagesReadFromTheJournalShareTheStringsTheyHaveInCommon() {
    RecordBuffer out = new RecordBuffer(16);
    for (int seq = 1; seq <= 2; seq++) {
      // new String: every record is written from its own copies, as ingress makes them
      Map<String, String> state =
          Map.of(new String("attempts"), new String("1"), new String("last_error"), "451 4.4.5");
      RecordCodec.encode(
          new JournalRecord.Store(
              new SpoolEntry(
                  MessageId.of(1_700_000_000_000L, seq),
                  SpoolFixtures.envelope(seq),
                  state,
                  1,
                  0,
                  10)),
          out);
    }
    List<SpoolEntry> read =
        SpoolFixtures.records(out.frames()).stream()
            .map(r -> ((JournalRecord.Store) r.record()).entry())
            .toList();

    SpoolEnvelope first = read.get(0).envelope();
    SpoolEnvelope second = read.get(1).envelope();
    assertThat(second.tenant()).isSameAs(first.tenant());
    assertThat(second.clientAddress()).isSameAs(first.clientAddress());
    assertThat(second.helo()).isSameAs(first.helo());
    String reason = read.get(0).state().get("last_error");
    assertThat(read.get(1).state().get("last_error")).isEqualTo(reason).isSameAs(reason);
    assertThat(read.get(1).state().get("attempts")).isSameAs(read.get(0).state().get("attempts"));
  }

  @Test
  void aFlippedBitAnywhereInARecordIsCaught() {
    RecordBuffer out = new RecordBuffer(16);
    RecordCodec.encode(new JournalRecord.Remove(ID), out);
    ByteBuffer frame = out.frames();
    for (int i = 0; i < frame.remaining(); i++) {
      for (int bit = 0; bit < 8; bit++) {
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame.duplicate()).flip();
        copy.put(i, (byte) (copy.get(i) ^ (1 << bit)));
        assertThat(Frame.journalPayloadAt(copy, 0)).as("byte %d bit %d", i, bit).isEqualTo(-1);
      }
    }
  }

  @Test
  void aBodyRecordChecksItsCrcAndItsOwner() {
    ByteBuffer body =
        ByteBuffer.wrap(
            "Subject: hi\r\n\r\nbody\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    BodyFrame frame = RecordCodec.bodyFrame(ID, body);
    ByteBuffer record = ByteBuffer.allocate((int) frame.totalBytes());
    record.put(frame.head().duplicate()).put(frame.body().duplicate()).flip();

    assertThat(SpoolFixtures.bytes(assertDecodes(record, body.remaining())))
        .isEqualTo(SpoolFixtures.bytes(body));

    MessageId other = MessageId.of(1_700_000_000_000L, 43);
    assertThatThrownBy(() -> RecordCodec.checkBody(other, record, body.remaining()))
        .isInstanceOf(MalformedRecordException.class);
    record.put(record.limit() - 1, (byte) 'X');
    assertThatThrownBy(() -> RecordCodec.checkBody(ID, record, body.remaining()))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("CRC");
  }

  private static ByteBuffer assertDecodes(ByteBuffer record, int length) {
    try {
      return RecordCodec.checkBody(ID, record, length);
    } catch (MalformedRecordException e) {
      throw new AssertionError(e);
    }
  }
}
