package dev.sluice.relay.dsn;

import java.util.Locale;

/**
 * Typed addresses for the {@code Final-Recipient} and {@code Original-Recipient} fields.
 *
 * <p>The delivery-status part stays 7-bit: an all-ASCII address is written as {@code rfc822; addr};
 * an address with other characters as {@code utf-8; } followed by the utf-8-addr-xtext form of RFC
 * 6533 §3, where every character outside printable ASCII (and {@code \ + =}) becomes {@code
 * \x{HEX}}. Sluice therefore never needs {@code message/global-delivery-status}.
 */
final class DsnAddress {
  private DsnAddress() {}

  /** The typed form of a final recipient address. */
  static String finalRecipient(String address) {
    String addr = HeaderText.token(address);
    return isAscii(addr) ? "rfc822; " + addr : "utf-8; " + utf8Xtext(addr, true);
  }

  /**
   * The typed form of an ORCPT value ({@code type;address}, xtext already decoded). An address
   * without a type is taken as rfc822; an rfc822 address with non-ASCII characters is rewritten as
   * utf-8 (RFC 6533 §3); a utf-8 address keeps the {@code \x{..}} escapes it already has.
   */
  static String originalRecipient(String orcpt) {
    String value = HeaderText.token(orcpt);
    int semi = value.indexOf(';');
    String type = semi > 0 ? value.substring(0, semi).toLowerCase(Locale.ROOT) : "rfc822";
    String addr = semi > 0 ? value.substring(semi + 1) : value;
    if (type.equals("utf-8")) {
      return "utf-8; " + utf8Xtext(addr, false);
    }
    if (isAscii(addr)) {
      return type + "; " + addr;
    }
    return "utf-8; " + utf8Xtext(addr, true);
  }

  static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  // RFC 6533 §3: QCHAR = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e; everything else is
  // EmbeddedUnicodeChar "\x{HEXPOINT}".
  private static String utf8Xtext(String addr, boolean escapeBackslash) {
    StringBuilder out = new StringBuilder();
    addr.codePoints()
        .forEach(
            cp -> {
              boolean qchar = cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\';
              if (qchar || (cp == '\\' && !escapeBackslash)) {
                out.append((char) cp);
              } else {
                out.append("\\x{")
                    .append(Integer.toHexString(cp).toUpperCase(Locale.ROOT))
                    .append('}');
              }
            });
    return out.toString();
  }
}
