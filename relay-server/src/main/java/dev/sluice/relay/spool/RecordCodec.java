package dev.sluice.relay.spool;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Payload layouts of journal records and body records. Strings are u32 length (-1 for null) plus
 * UTF-8; every payload starts with the queue id, so a damaged record can often still be attributed
 * to its message. Stateless and thread-safe.
 */
final class RecordCodec {
  static final int FORMAT_VERSION = 1;
  static final int ID_FIELD_BYTES = 4 + MessageId.LENGTH;

  /** Bytes in a body record before the first body byte: frame header and id. */
  static final int BODY_PREFIX_BYTES = Frame.HEADER_BYTES + ID_FIELD_BYTES;

  private RecordCodec() {}

  static void encode(JournalRecord record, RecordBuffer out) {
    try {
      if (record instanceof JournalRecord.Store) {
        SpoolEntry e = ((JournalRecord.Store) record).entry();
        out.begin(Frame.STORE);
        out.putString(e.id().value());
        putEnvelope(e.envelope(), out);
        putState(e.state(), out);
        out.putLong(e.bodySegment()).putLong(e.bodyOffset()).putInt(e.bodyLength());
      } else if (record instanceof JournalRecord.Update) {
        JournalRecord.Update u = (JournalRecord.Update) record;
        out.begin(Frame.UPDATE);
        out.putString(u.id().value());
        putEnvelope(u.envelope(), out);
        putState(u.state(), out);
      } else if (record instanceof JournalRecord.Remove) {
        out.begin(Frame.REMOVE);
        out.putString(((JournalRecord.Remove) record).id().value());
      } else if (record instanceof JournalRecord.Quarantine) {
        JournalRecord.Quarantine q = (JournalRecord.Quarantine) record;
        out.begin(Frame.QUARANTINE);
        out.putString(q.id().value()).putString(q.reason());
      } else if (record instanceof JournalRecord.Checkpoint) {
        JournalRecord.Checkpoint c = (JournalRecord.Checkpoint) record;
        out.begin(Frame.CHECKPOINT);
        out.putInt(c.formatVersion()).putLong(c.journalNumber());
        out.putLong(c.liveCount()).putLong(c.createdAtMillis());
      } else {
        out.begin(Frame.NOOP);
      }
      out.end();
    } catch (RuntimeException e) {
      out.cancel();
      throw e;
    }
  }

  static JournalRecord decode(byte type, ByteBuffer payload) throws MalformedRecordException {
    PayloadReader in = new PayloadReader(payload);
    JournalRecord record;
    switch (type) {
      case Frame.STORE:
        {
          MessageId id = in.getId();
          SpoolEnvelope envelope = getEnvelope(in);
          Map<String, String> state = getState(in);
          long segment = in.getLong();
          long offset = in.getLong();
          int length = in.getInt();
          if (segment < 0 || offset < 0 || length < 0) {
            throw new MalformedRecordException("negative body location");
          }
          record =
              new JournalRecord.Store(new SpoolEntry(id, envelope, state, segment, offset, length));
          break;
        }
      case Frame.UPDATE:
        record = new JournalRecord.Update(in.getId(), getEnvelope(in), getState(in));
        break;
      case Frame.REMOVE:
        record = new JournalRecord.Remove(in.getId());
        break;
      case Frame.QUARANTINE:
        record = new JournalRecord.Quarantine(in.getId(), in.getRequiredString("reason"));
        break;
      case Frame.CHECKPOINT:
        record =
            new JournalRecord.Checkpoint(in.getInt(), in.getLong(), in.getLong(), in.getLong());
        break;
      case Frame.NOOP:
        record = new JournalRecord.Noop();
        break;
      default:
        throw new MalformedRecordException("unknown record type " + type);
    }
    in.expectEnd();
    return record;
  }

  /**
   * The queue id a damaged frame at {@code pos} probably belongs to: the id field right after the
   * header, when it still reads as one. Null otherwise.
   */
  static MessageId idHint(ByteBuffer file, int pos) {
    int at = pos + Frame.HEADER_BYTES;
    if (at < 0 || file.limit() - at < ID_FIELD_BYTES || file.getInt(at) != MessageId.LENGTH) {
      return null;
    }
    StringBuilder text = new StringBuilder(MessageId.LENGTH);
    for (int i = 0; i < MessageId.LENGTH; i++) {
      text.append((char) (file.get(at + 4 + i) & 0xff));
    }
    return MessageId.isValid(text) ? new MessageId(text.toString()) : null;
  }

  /** The body record of {@code id}, with its CRC computed here, in the caller's thread. */
  static BodyFrame bodyFrame(MessageId id, ByteBuffer body) {
    if (body.remaining() > Frame.MAX_BODY_PAYLOAD - ID_FIELD_BYTES) {
      throw new IllegalArgumentException("body of " + body.remaining() + " bytes is too large");
    }
    ByteBuffer head = ByteBuffer.allocate(BODY_PREFIX_BYTES);
    head.position(Frame.HEADER_BYTES);
    head.putInt(MessageId.LENGTH);
    for (int i = 0; i < MessageId.LENGTH; i++) {
      head.put((byte) id.value().charAt(i));
    }
    CRC32C crc = new CRC32C();
    crc.update(Frame.BODY);
    crc.update(head.array(), Frame.HEADER_BYTES, ID_FIELD_BYTES);
    ByteBuffer bodyView = body.duplicate();
    crc.update(bodyView.duplicate());
    head.putInt(0, ID_FIELD_BYTES + bodyView.remaining());
    head.putInt(4, (int) crc.getValue());
    head.put(8, Frame.BODY);
    head.clear();
    return new BodyFrame(id, head, bodyView);
  }

  /**
   * The body inside {@code record}, the bytes read for a body record of {@code id}; throws when
   * they are not exactly that record with a matching CRC.
   */
  static ByteBuffer checkBody(MessageId id, ByteBuffer record, int bodyLength)
      throws MalformedRecordException {
    if (record.remaining() != BODY_PREFIX_BYTES + bodyLength) {
      throw new MalformedRecordException(
          "short read: " + record.remaining() + " of " + (BODY_PREFIX_BYTES + bodyLength));
    }
    int base = record.position();
    int length = record.getInt(base);
    if (length != ID_FIELD_BYTES + bodyLength || record.get(base + 8) != Frame.BODY) {
      throw new MalformedRecordException("body record header does not match the journal");
    }
    ByteBuffer payload = record.duplicate().position(base + Frame.HEADER_BYTES).slice();
    if (Frame.crc(Frame.BODY, payload) != record.getInt(base + 4)) {
      throw new MalformedRecordException("body CRC mismatch");
    }
    if (!id.equals(idHint(record.duplicate().position(base).slice(), 0))) {
      throw new MalformedRecordException("body record belongs to another message");
    }
    return payload.position(ID_FIELD_BYTES).slice();
  }

  private static void putEnvelope(SpoolEnvelope e, RecordBuffer out) {
    out.putString(e.sender());
    out.putInt(e.recipients().size());
    for (SpoolRecipient r : e.recipients()) {
      out.putString(r.address()).putString(r.dsnNotify()).putString(r.orcpt());
    }
    out.putString(e.tenant()).putString(e.clientAddress()).putString(e.helo());
    out.putString(e.tls()).putString(e.authUser()).putString(e.envid()).putString(e.ret());
    out.putLong(e.receivedAt().getEpochSecond()).putInt(e.receivedAt().getNano());
    out.putLong(e.size());
    putState(e.routingHeaders(), out);
  }

  private static SpoolEnvelope getEnvelope(PayloadReader in) throws MalformedRecordException {
    String sender = in.getRequiredString("sender");
    int count = in.getCount(12);
    List<SpoolRecipient> recipients = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      recipients.add(
          new SpoolRecipient(in.getRequiredString("recipient"), in.getString(), in.getString()));
    }
    String tenant = in.getString();
    String clientAddress = in.getRequiredString("client address");
    String helo = in.getRequiredString("helo");
    String tls = in.getString();
    String authUser = in.getString();
    String envid = in.getString();
    String ret = in.getString();
    long seconds = in.getLong();
    int nanos = in.getInt();
    long size = in.getLong();
    if (nanos < 0 || nanos > 999_999_999 || size < 0) {
      throw new MalformedRecordException("implausible time or size");
    }
    Map<String, String> routingHeaders = getState(in);
    return new SpoolEnvelope(
        sender,
        recipients,
        tenant,
        clientAddress,
        helo,
        tls,
        authUser,
        envid,
        ret,
        Instant.ofEpochSecond(seconds, nanos),
        size,
        routingHeaders);
  }

  /** A string map: the scheduler state, and the routing headers of an envelope. */
  private static void putState(Map<String, String> state, RecordBuffer out) {
    out.putInt(state.size());
    for (Map.Entry<String, String> kv : state.entrySet()) {
      out.putString(kv.getKey()).putString(kv.getValue());
    }
  }

  /**
   * Keys and values are {@link SharedStrings shared}: every message's state has the same keys, and
   * mostly the same few values (attempt counts, deferral reasons, header values).
   */
  private static Map<String, String> getState(PayloadReader in) throws MalformedRecordException {
    int count = in.getCount(8);
    Map<String, String> state = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      state.put(
          SharedStrings.of(in.getRequiredString("state key")),
          SharedStrings.of(in.getRequiredString("state value")));
    }
    return state;
  }
}
