package dev.sluice.relay.dsn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text that goes into header fields and report lines: cleaned of anything that could end a line,
 * and folded. Everything the remote side or the sender chose (replies, addresses, ids) passes
 * through here, so none of it can start a header field or a MIME part of its own.
 */
final class HeaderText {
  /** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters. */
  static final int TARGET = 78;

  /** A word longer than this many octets is cut so that no line exceeds 998 octets. */
  private static final int LONGEST_WORD = 900;

  private HeaderText() {}

  /**
   * The text on one line: CR, LF, every other control character and the Unicode line separators
   * become spaces, runs of whitespace become one space, and the ends are trimmed.
   */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)
          || Character.isISOControl(c)
          || Character.isSpaceChar(c)
          || c == '\u2028'
          || c == '\u2029') {
        space = true;
      } else {
        if (space && out.length() > 0) {
          out.append(' ');
        }
        space = false;
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@link #clean} without any space at all: for host names, ids and addresses in fields. */
  static String token(String text) {
    return clean(text).replace(" ", "");
  }

  /** The US-ASCII form of cleaned text: anything else becomes {@code ?}. */
  static String ascii(String text) {
    StringBuilder out = new StringBuilder(text.length());
    clean(text).codePoints().forEach(cp -> out.append(cp < 0x80 ? (char) cp : '?'));
    return out.toString();
  }

  /**
   * One header field {@code Name: value}, folded at spaces (RFC 5322 §2.2.3) so that lines aim at
   * 78 characters and never exceed 998 octets; ends with CRLF.
   */
  static String field(String name, String value) {
    StringBuilder out = new StringBuilder();
    for (String line : wrap(name + ": ", clean(value), TARGET, " ")) {
      out.append(line).append("\r\n");
    }
    return out.toString();
  }

  /**
   * Lays the words of {@code text} (already cleaned) out after {@code first}, starting a new line
   * with {@code indent} whenever the next word would pass {@code width}. Breaks only ever replace
   * an existing space, so unfolding gives the text back, except for words longer than 900 octets,
   * which are cut.
   */
  static List<String> wrap(String first, String text, int width, String indent) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(first);
    boolean empty = true;
    for (String word : words(text)) {
      if (!empty && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    lines.add(line.toString());
    return lines;
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : text.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      while (word.getBytes(StandardCharsets.UTF_8).length > LONGEST_WORD) {
        // 300 chars are at most 900 octets of UTF-8; never cut a surrogate pair.
        int cut = Character.isHighSurrogate(word.charAt(299)) ? 299 : 300;
        words.add(word.substring(0, cut));
        word = word.substring(cut);
      }
      words.add(word);
    }
    return words;
  }
}
