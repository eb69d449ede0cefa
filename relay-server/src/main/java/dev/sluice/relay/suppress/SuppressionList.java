package dev.sluice.relay.suppress;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recipients that hard-bounced, per tenant: sending to them again only hurts the sender's
 * reputation, so the ingress can refuse them at RCPT (550 5.1.1). Kept in a small append-only file
 * of tab-separated lines ({@code add TENANT ADDRESS INSTANT REASON}, {@code remove TENANT
 * ADDRESS}), replayed at start; every change is forced to disk before it counts. A damaged line is
 * skipped with a warning, never fatal. A line without its newline was never acknowledged (a crash
 * or a failed write cut it): it is cut off before the next append, which would otherwise be glued
 * to it and lost at the next start. Thread-safe; lookups are lock-free.
 */
public final class SuppressionList implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SuppressionList.class.getName());

  /** The tenant key of messages no tenant was identified for. */
  private static final String NO_TENANT = "-";

  private final Path file;
  private final FileChannel channel;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  /** Bytes of the file that end in a newline; anything after them is a torn line. */
  private long complete;

  private SuppressionList(Path file, FileChannel channel, long complete) {
    this.file = file;
    this.channel = channel;
    this.complete = complete;
  }

  /** Opens (creating if needed) the list kept in {@code file} and replays it. */
  public static SuppressionList open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    byte[] bytes = Files.readAllBytes(file);
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    SuppressionList list = new SuppressionList(file, channel, complete);
    if (complete < bytes.length) {
      LOG.log(Level.WARNING, "{0}: unfinished last line removed", file);
      list.cutTornTail();
    }
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    int number = 0;
    for (int start = 0, end; start < complete; start = end + 1) {
      end = start;
      while (bytes[end] != '\n') {
        end++;
      }
      int length = end > start && bytes[end - 1] == '\r' ? end - start - 1 : end - start;
      list.replay(utf8, ByteBuffer.wrap(bytes, start, length), ++number);
    }
    return list;
  }

  /** One suppressed recipient. */
  public record Entry(String tenant, String address, Instant since, String reason) {
    public Entry {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public boolean contains(Optional<String> tenant, String address) {
    return !entries.isEmpty() && entries.containsKey(key(tenant, address));
  }

  /** Adds a recipient (again: the newest reason wins), durably. */
  public synchronized void add(Optional<String> tenant, String address, String reason, Instant at)
      throws IOException {
    Key key = key(tenant, address);
    String why = clean(reason);
    append("add\t" + key.tenant + "\t" + key.address + "\t" + at + "\t" + why);
    entries.put(key, new Entry(key.tenant, key.address, at, why));
  }

  /** Removes a recipient durably; false when it was not listed. */
  public synchronized boolean remove(Optional<String> tenant, String address) throws IOException {
    Key key = key(tenant, address);
    if (!entries.containsKey(key)) {
      return false;
    }
    append("remove\t" + key.tenant + "\t" + key.address);
    entries.remove(key);
    return true;
  }

  /** Every entry, by tenant then address. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>(entries.values());
    out.sort(Comparator.comparing(Entry::tenant).thenComparing(Entry::address));
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void append(String line) throws IOException {
    if (channel.size() > complete) {
      cutTornTail(); // an earlier append failed half-way
    }
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.force(false);
    complete += bytes.limit();
  }

  private void cutTornTail() throws IOException {
    channel.truncate(complete);
    channel.force(true);
  }

  /** Decodes one line on its own, so that a torn character costs only its line. */
  private void replay(CharsetDecoder utf8, ByteBuffer bytes, int number) {
    try {
      replay(utf8.decode(bytes).toString(), number);
    } catch (CharacterCodingException e) {
      LOG.log(Level.WARNING, "{0}:{1}: suppression line that is not UTF-8 skipped", file, number);
    }
  }

  private void replay(String line, int number) {
    String[] f = line.split("\t", -1);
    try {
      if (f[0].equals("add") && f.length == 5) {
        Key key = new Key(f[1], f[2]);
        entries.put(key, new Entry(key.tenant, key.address, Instant.parse(f[3]), f[4]));
        return;
      }
      if (f[0].equals("remove") && f.length == 3) {
        entries.remove(new Key(f[1], f[2]));
        return;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    if (!line.isEmpty()) {
      LOG.log(Level.WARNING, "{0}:{1}: damaged suppression line skipped", file, number);
    }
  }

  private static Key key(Optional<String> tenant, String address) {
    return new Key(
        tenant.map(SuppressionList::clean).orElse(NO_TENANT),
        clean(address).toLowerCase(Locale.ROOT));
  }

  /** No tab, CR, LF or other control character may reach the file. */
  private static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString().strip();
  }

  private record Key(String tenant, String address) {}
}
