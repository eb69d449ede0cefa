package dev.sluice.relay.smtp.in;

import java.util.Locale;
import java.util.Set;

/** Checks of DSN parameter values (RFC 3461): xtext, NOTIFY and ORCPT. */
public final class Xtext {
  private static final Set<String> NOTIFY = Set.of("SUCCESS", "FAILURE", "DELAY");

  private Xtext() {}

  /** xtext: printable ASCII except '+' and '=', with "+XX" hex escapes (RFC 3461 §4). */
  public static boolean isValid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return false;
      }
    }
    return true;
  }

  /**
   * The value as xtext: a value that already is valid xtext (as the ingress stores it) goes on
   * unchanged; anything else has '+', '=', and bytes outside 33..126 escaped as {@code +XX}.
   */
  public static String encode(String value) {
    if (isValid(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 33 || c > 126 || c == '+' || c == '=') {
        out.append('+').append(String.format(Locale.ROOT, "%02X", c));
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  /**
   * The text an xtext value stands for: every "+XX" replaced by its character (RFC 3461 §4). A
   * malformed escape is kept as it is; ingress refuses such values, so only old records have them.
   */
  public static String decode(String xtext) {
    StringBuilder out = new StringBuilder(xtext.length());
    for (int i = 0; i < xtext.length(); i++) {
      char c = xtext.charAt(i);
      if (c == '+'
          && i + 2 < xtext.length()
          && isHex(xtext.charAt(i + 1))
          && isHex(xtext.charAt(i + 2))) {
        out.append((char) Integer.parseInt(xtext.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** NEVER, or a comma list of SUCCESS, FAILURE and DELAY (RFC 3461 §4.1). */
  public static boolean isValidNotify(String value) {
    String v = value.toUpperCase(Locale.ROOT);
    if (v.equals("NEVER")) {
      return true;
    }
    String[] parts = v.split(",", -1);
    for (String p : parts) {
      if (!NOTIFY.contains(p)) {
        return false;
      }
    }
    return java.util.Arrays.stream(parts).distinct().count() == parts.length;
  }

  /** addr-type ";" xtext (RFC 3461 §4.2). */
  static boolean isValidOrcpt(String value) {
    int semi = value.indexOf(';');
    return semi > 0
        && value.substring(0, semi).matches("[A-Za-z0-9-]+")
        && isValid(value.substring(semi + 1))
        && semi < value.length() - 1;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
