package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.in.Xtext;

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

  /** ORCPT is {@code addr-type ";" xtext} (RFC 3461 §4.2); a bare address is taken as rfc822. */
  static String encodeOrcpt(String value) {
    int semi = value.indexOf(';');
    if (semi > 0 && value.substring(0, semi).matches("[A-Za-z0-9-]+")) {
      return value.substring(0, semi) + ";" + Xtext.encode(value.substring(semi + 1));
    }
    return "rfc822;" + Xtext.encode(value);
  }
}
