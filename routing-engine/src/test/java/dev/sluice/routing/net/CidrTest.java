package dev.sluice.routing.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void ipv4NetworksContainTheirHosts() {
    Cidr net = Cidr.parse("10.1.0.0/16");
    assertThat(net.contains("10.1.200.3")).isTrue();
    assertThat(net.contains("10.2.0.1")).isFalse();
    assertThat(Cidr.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
    assertThat(Cidr.parse("127.0.0.1").contains("127.0.0.2")).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
  }

  @Test
  void ipv6NetworksContainTheirHostsAndNeverIpv4() {
    Cidr net = Cidr.parse("2001:db8::/32");
    assertThat(net.contains("2001:db8:1::25")).isTrue();
    assertThat(net.contains("2001:db9::1")).isFalse();
    assertThat(net.contains("10.0.0.1")).isFalse();
    assertThat(Cidr.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(Cidr.parse("::ffff:192.0.2.0/120").contains("::ffff:192.0.2.77")).isTrue();
  }

  @Test
  void literalsAreParsedWithoutDns() {
    assertThat(IpLiterals.parse("mail.example.com")).isEmpty();
    assertThat(IpLiterals.parse("256.1.1.1")).isEmpty();
    assertThat(IpLiterals.parse("01.2.3.4")).isEmpty();
    assertThat(IpLiterals.parse("1:2:3:4:5:6:7:8:9")).isEmpty();
    assertThat(IpLiterals.parse("1::2::3")).isEmpty();
    assertThat(IpLiterals.parse("[2001:db8::1]")).get().satisfies(b -> assertThat(b).hasSize(16));
    assertThat(IpLiterals.parse("192.0.2.1")).get().satisfies(b -> assertThat(b).hasSize(4));
  }

  @Test
  void aDottedQuadIsOnlyTheLastPartAndDigitsAreAscii() {
    assertThat(IpLiterals.parse("::ffff:192.0.2.1"))
        .get()
        .satisfies(b -> assertThat(b).hasSize(16));
    assertThat(IpLiterals.parse("1:2:3:4:5:6:1.2.3.4")).isPresent();
    assertThat(IpLiterals.parse("1.2.3.4::")).isEmpty();
    assertThat(IpLiterals.parse("1.2.3.4::1")).isEmpty();
    assertThat(IpLiterals.parse("\u0661.\u0662.\u0663.\u0664")).as("Arabic-Indic digits").isEmpty();
    assertThat(IpLiterals.parse("\uFF12001:db8::1")).as("a fullwidth digit").isEmpty();
    assertThat(IpLiterals.parse("2001:DB8::A"))
        .get()
        .satisfies(b -> assertThat(b[15]).isEqualTo((byte) 10));
  }

  @Test
  void hostBitsAndBadPrefixesAreRefusedWithAHint() {
    assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
        .hasMessageContaining("did you mean '10.0.0.0/8'");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Cidr.parse("example.com/24"))
        .hasMessageContaining("not an IP address");
  }
}
