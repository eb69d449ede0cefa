package dev.sluice.routing.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientKeysTest {
  @Test
  void anIpv4AddressIsItsOwnClient() {
    assertThat(ClientKeys.of("192.0.2.7")).isEqualTo("192.0.2.7");
  }

  @Test
  void everyAddressOfAnIpv6Slash64IsOneClient() {
    assertThat(ClientKeys.of("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientKeys.of("2001:0db8:0001:0002:ffff:ffff:ffff:fffe"))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientKeys.of("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(ClientKeys.of("::1")).isEqualTo("0:0:0:0::/64");
  }

  @Test
  void anIpv4MappedAddressCountsAsItsIpv4AddressAndAnythingElseAsItself() {
    assertThat(ClientKeys.of("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientKeys.of("not-an-address")).isEqualTo("not-an-address");
  }
}
