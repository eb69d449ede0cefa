package dev.sluice.relay.spool;

import java.nio.ByteBuffer;

/**
 * Walks the frames of a journal image. A frame that fails its checks is damage when a valid frame
 * follows it (the scan resynchronises byte by byte), and a torn tail when none does: the end of a
 * write that a crash cut short. Stateless.
 */
final class JournalScanner {
  /** Receives what the scan finds, in file order. */
  interface Visitor {
    void record(int position, JournalRecord record);

    /**
     * {@code bytes}, found at {@code position}, are damaged; {@code idHint} is their message, if
     * legible. {@code bytes} is a view of the image: copy what must outlive the call.
     */
    void damaged(int position, ByteBuffer bytes, String why, MessageId idHint);
  }

  private JournalScanner() {}

  /** Scans {@code journal}; returns where its torn tail starts, or its length when it has none. */
  static int scan(ByteBuffer journal, Visitor visitor) {
    int limit = journal.limit();
    int pos = 0;
    while (pos < limit) {
      int length = Frame.journalPayloadAt(journal, pos);
      if (length >= 0) {
        int end = pos + Frame.HEADER_BYTES + length;
        try {
          visitor.record(
              pos, RecordCodec.decode(journal.get(pos + 8), Frame.payload(journal, pos, length)));
        } catch (MalformedRecordException e) {
          visitor.damaged(
              pos, view(journal, pos, end), e.getMessage(), RecordCodec.idHint(journal, pos));
        }
        pos = end;
        continue;
      }
      int next = nextValidFrame(journal, pos + 1);
      if (next < 0) {
        return pos;
      }
      visitor.damaged(
          pos,
          view(journal, pos, next),
          "length or CRC mismatch",
          RecordCodec.idHint(journal, pos));
      pos = next;
    }
    return limit;
  }

  private static ByteBuffer view(ByteBuffer journal, int from, int to) {
    return journal.duplicate().position(from).limit(to).slice();
  }

  private static int nextValidFrame(ByteBuffer journal, int from) {
    for (int pos = from; pos <= journal.limit() - Frame.HEADER_BYTES; pos++) {
      if (Frame.journalPayloadAt(journal, pos) >= 0) {
        return pos;
      }
    }
    return -1;
  }
}
