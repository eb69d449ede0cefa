package dev.sluice.relay.smtp.out;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a server offered in its EHLO reply (RFC 5321 §4.1.1.1), as a value.
 *
 * @param keywords every extension keyword offered, upper case ({@code PIPELINING}, {@code SIZE},
 *     {@code STARTTLS}…)
 * @param sizeLimit the limit the server announced with {@code SIZE n}, or empty when it announced
 *     none, or {@code SIZE 0} (no fixed limit, RFC 1870 §4)
 * @param authMechanisms the SASL mechanisms offered with {@code AUTH}, upper case
 */
public record EhloCapabilities(
    Set<String> keywords, OptionalLong sizeLimit, Set<String> authMechanisms) {
  /** What a server that only answered HELO offers: nothing. */
  public static final EhloCapabilities NONE =
      new EhloCapabilities(Set.of(), OptionalLong.empty(), Set.of());

  public EhloCapabilities {
    keywords = Set.copyOf(keywords);
    authMechanisms = Set.copyOf(authMechanisms);
  }

  /**
   * Reads the text lines of an EHLO reply (without the reply code), the first being the server's
   * greeting. Unknown or malformed extension lines are skipped, never fatal.
   */
  public static EhloCapabilities parse(List<String> ehloReplyLines) {
    Set<String> keywords = new LinkedHashSet<>();
    Set<String> auth = new LinkedHashSet<>();
    long size = 0;
    for (int i = 1; i < ehloReplyLines.size(); i++) {
      List<String> words = words(ehloReplyLines.get(i));
      if (words.isEmpty()) {
        continue;
      }
      String keyword = words.get(0).toUpperCase(Locale.ROOT);
      List<String> params = words.subList(1, words.size());
      if (keyword.startsWith("AUTH=")) {
        // Old Outlook-era servers announce "AUTH=LOGIN PLAIN"; treat it as AUTH.
        auth.add(keyword.substring(5));
        keyword = "AUTH";
      }
      if (!keyword.matches("[A-Z0-9][A-Z0-9-]*")) {
        continue;
      }
      keywords.add(keyword);
      if (keyword.equals("AUTH")) {
        params.forEach(p -> auth.add(p.toUpperCase(Locale.ROOT)));
      } else if (keyword.equals("SIZE") && !params.isEmpty()) {
        size = parseSize(params.get(0));
      }
    }
    auth.remove("");
    return new EhloCapabilities(
        keywords, size > 0 ? OptionalLong.of(size) : OptionalLong.empty(), auth);
  }

  /** Whether the server offered this extension keyword (case-insensitive). */
  public boolean offers(String keyword) {
    return keywords.contains(keyword.toUpperCase(Locale.ROOT));
  }

  /** RFC 2920. */
  public boolean pipelining() {
    return offers("PIPELINING");
  }

  /** RFC 3207. */
  public boolean startTls() {
    return offers("STARTTLS");
  }

  /** The announced maximum message size in bytes (RFC 1870), when there is one. */
  public OptionalLong size() {
    return sizeLimit;
  }

  /** RFC 6152. */
  public boolean eightBitMime() {
    return offers("8BITMIME");
  }

  /** RFC 6531. */
  public boolean smtpUtf8() {
    return offers("SMTPUTF8");
  }

  /** RFC 3461. */
  public boolean dsn() {
    return offers("DSN");
  }

  /** RFC 2034. */
  public boolean enhancedStatusCodes() {
    return offers("ENHANCEDSTATUSCODES");
  }

  private static long parseSize(String value) {
    if (!value.matches("[0-9]{1,18}")) {
      return 0;
    }
    return Long.parseLong(value);
  }

  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    for (String w : line.trim().split("[ \t]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
