package dev.sluice.relay.dkim;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Writes one {@code DKIM-Signature} header field (RFC 6376 §3.5) for one key. */
final class SignatureField {
  /**
   * The fields signed when present, in this order. From is signed once more than it occurs, so that
   * a From added later breaks the signature (RFC 6376 §8.15).
   */
  static final List<String> SIGNED =
      List.of(
          "from",
          "to",
          "cc",
          "subject",
          "date",
          "message-id",
          "reply-to",
          "mime-version",
          "content-type",
          "content-transfer-encoding",
          "list-unsubscribe",
          "list-unsubscribe-post",
          "in-reply-to",
          "references");

  private static final int WIDTH = 78;

  private SignatureField() {}

  /** The folded field, ending with CRLF. */
  static String write(SigningKey key, List<HeaderField> headers, String bodyHash, Instant now)
      throws GeneralSecurityException {
    List<String> names = signedNames(headers);
    Folder out = new Folder("DKIM-Signature:");
    out.add(" v=1;");
    out.add(" a=" + key.algorithm().tag + ";");
    out.add(" c=relaxed/relaxed;");
    out.add(" d=" + key.config().domain() + ";");
    out.add(" s=" + key.config().selector() + ";");
    out.add(" t=" + now.getEpochSecond() + ";");
    for (int i = 0; i < names.size(); i++) {
      out.add((i == 0 ? " h=" : ":") + names.get(i) + (i == names.size() - 1 ? ";" : ""));
    }
    out.add(" bh=" + bodyHash + ";");
    out.add(" b=");

    // RFC 6376 §3.7: the selected fields, then this field with an empty b=, without its CRLF.
    StringBuilder data = new StringBuilder();
    for (HeaderField field : select(headers, names)) {
      data.append(field.relaxed()).append("\r\n");
    }
    data.append(HeaderField.of(out.text()).relaxed());
    byte[] signature =
        key.sign(data.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    String b = Base64.getEncoder().encodeToString(signature);
    int at = 0;
    while (at < b.length()) {
      int room = Math.max(WIDTH - out.lineLength(), 0);
      if (room < 8) {
        out.fold();
        room = WIDTH - out.lineLength();
      }
      int next = Math.min(b.length(), at + room);
      out.append(b.substring(at, next));
      at = next;
    }
    return out.text() + "\r\n";
  }

  /** The h= list: each signed name once per occurrence, From once more. */
  static List<String> signedNames(List<HeaderField> headers) {
    List<String> names = new ArrayList<>();
    for (String name : SIGNED) {
      long count = headers.stream().filter(h -> h.name().equals(name)).count();
      if (name.equals("from")) {
        count++;
      }
      for (long i = 0; i < count; i++) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * RFC 6376 §5.4.2: each name in h= takes the last instance of that field not yet taken; a name
   * with no instance left contributes nothing.
   */
  static List<HeaderField> select(List<HeaderField> headers, List<String> names) {
    List<HeaderField> remaining = new ArrayList<>(headers);
    List<HeaderField> selected = new ArrayList<>();
    for (String name : names) {
      for (int i = remaining.size() - 1; i >= 0; i--) {
        if (remaining.get(i).name().equals(name)) {
          selected.add(remaining.remove(i));
          break;
        }
      }
    }
    return selected;
  }

  /** Folds at the start of a token when the line would pass 78 characters (RFC 5322 §2.2.3). */
  private static final class Folder {
    private final StringBuilder text;
    private int lineStart;

    Folder(String start) {
      text = new StringBuilder(start);
    }

    /** A token starting with a space or a colon, where FWS is allowed (RFC 6376 §3.2, §3.5). */
    void add(String token) {
      if (lineLength() + token.length() > WIDTH) {
        fold();
        text.append(token.startsWith(" ") ? token.substring(1) : token);
      } else {
        text.append(token);
      }
    }

    void append(String chunk) {
      text.append(chunk);
    }

    void fold() {
      text.append("\r\n ");
      lineStart = text.length() - 1;
    }

    int lineLength() {
      return text.length() - lineStart;
    }

    String text() {
      return text.toString();
    }
  }
}
