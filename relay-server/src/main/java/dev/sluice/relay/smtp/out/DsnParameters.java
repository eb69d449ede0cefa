package dev.sluice.relay.smtp.out;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The RFC 3461 parameters as they are passed on: xtext for ENVID and the ORCPT address, checks of
 * RET and NOTIFY (a value that is not valid is not passed on).
 */
final class DsnParameters {
  private DsnParameters() {}

  /** RET=FULL or RET=HDRS (RFC 3461 §4.3). */
  static boolean isValidRet(String ret) {
    return ret.equalsIgnoreCase("FULL") || ret.equalsIgnoreCase("HDRS");
  }

  /** NEVER, or a list of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1); nothing else gets written. */
  static boolean isValidNotify(String notify) {
    return notify.matches("(?i)NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY)){0,2}");
  }

  /**
   * The value as xtext: a value that already is valid xtext (as the ingress stores it) goes on
   * unchanged; anything else has '+', '=', and bytes outside 33..126 escaped as {@code +XX}.
   */
  static String encode(String value) {
    if (isValid(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 33 || c > 126 || c == '+' || c == '=') {
        out.append('+').append(String.format(Locale.ROOT, "%02X", c));
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  /** ORCPT is {@code addr-type ";" xtext} (RFC 3461 §4.2); a bare address is taken as rfc822. */
  static String encodeOrcpt(String value) {
    int semi = value.indexOf(';');
    if (semi > 0 && value.substring(0, semi).matches("[A-Za-z0-9-]+")) {
      return value.substring(0, semi) + ";" + encode(value.substring(semi + 1));
    }
    return "rfc822;" + encode(value);
  }

  static boolean isValid(String s) {
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

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
