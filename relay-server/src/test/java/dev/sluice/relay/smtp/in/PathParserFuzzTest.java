package dev.sluice.relay.smtp.in;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes address parsing: the argument of {@code MAIL} and {@code RCPT} (the input is tried as
 * both), including SMTPUTF8 addresses with international local parts and IDN domains. Properties,
 * from {@link PathParser} and {@link PathArgument}: it never throws; a refusal is 501 or 553 with a
 * 5.x.x status; an accepted address holds no control character (C0, DEL or C1: none may reach an
 * outbound command line), respects the lengths of RFC 5321 §4.5.3.1 and round-trips: written back
 * as {@code <address> PARAM=value…} it parses to the same address and parameters.
 */
class PathParserFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void acceptedAddressesAreCleanAndRoundTrip(byte[] input) {
    String argument = new String(input, StandardCharsets.UTF_8);
    for (String keyword : new String[] {"FROM", "TO"}) {
      PathArgument parsed = PathParser.parse(argument, keyword);
      if (parsed instanceof PathArgument.Invalid invalid) {
        assertThat(invalid.reply().code()).isIn(501, 553);
        assertThat(invalid.reply().status()).matches("5\\.[0-9]\\.[0-9]{1,2}");
      } else {
        check((PathArgument.Valid) parsed, keyword);
      }
    }
  }

  private static void check(PathArgument.Valid valid, String keyword) {
    String address = valid.address();
    assertThat(address.chars().filter(Character::isISOControl))
        .as("control characters in accepted <%s>", address)
        .isEmpty();
    assertThat(address.length()).isLessThanOrEqualTo(PathParser.MAX_PATH);
    if (!address.isEmpty()) {
      String local = address.substring(0, address.lastIndexOf('@'));
      assertThat(local.getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(PathParser.MAX_LOCAL_PART);
      assertThat(PathParser.mailboxProblem(address)).isNull();
    }
    StringBuilder again = new StringBuilder(keyword).append(":<").append(address).append('>');
    for (Map.Entry<String, String> p : valid.parameters().entrySet()) {
      assertThat(p.getKey()).matches("[A-Z0-9][A-Z0-9-]*");
      again.append(' ').append(p.getKey());
      if (!p.getValue().isEmpty()) {
        again.append('=').append(p.getValue());
      }
    }
    PathArgument reparsed = PathParser.parse(again.toString(), keyword);
    assertThat(reparsed).as("%s parsed again", again).isInstanceOf(PathArgument.Valid.class);
    assertThat(((PathArgument.Valid) reparsed).address()).isEqualTo(address);
    // The parameter text is stripped at its ends and the map keeps no order, so a value with other
    // whitespace (a form feed...) in it may lose it when written back last.
    if (valid.parameters().values().stream()
        .noneMatch(v -> v.chars().anyMatch(Character::isWhitespace))) {
      assertThat(((PathArgument.Valid) reparsed).parameters()).isEqualTo(valid.parameters());
    }
  }
}
