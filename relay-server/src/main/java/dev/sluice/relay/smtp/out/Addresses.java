package dev.sluice.relay.smtp.out;

/** Checks of envelope addresses and parameter values before they go into a command line. */
final class Addresses {
  private Addresses() {}

  /**
   * Whether the value can be written inside a command without changing its meaning: no CR, LF or
   * other control character (a CRLF would end the command and start another — command injection),
   * no angle brackets, and no space outside a quoted local part (either would end the path and
   * start parameters).
   */
  static boolean isSafe(String address) {
    boolean quoted = false;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '<' || c == '>') {
        return false;
      }
      if (c == '\\' && quoted) {
        i++; // RFC 5321 §4.1.2 quoted-pairSMTP: the next character is literal
        if (i < address.length() && address.charAt(i) < 0x20) {
          return false;
        }
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        return false;
      }
    }
    return !quoted;
  }

  /** Whether a parameter value (ENVID, ORCPT) holds a control character. */
  static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the address needs SMTPUTF8 (RFC 6531 §3.2). */
  static boolean isAscii(String address) {
    for (int i = 0; i < address.length(); i++) {
      if (address.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }
}
