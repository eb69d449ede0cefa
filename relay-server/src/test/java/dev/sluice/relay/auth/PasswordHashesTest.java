package dev.sluice.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.TenantUser;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {
  @Test
  void bcryptHashesVerifyTheirPasswordOnly() {
    String hash = PasswordHashes.bcrypt("s3cret".toCharArray());
    assertThat(hash).startsWith("$2b$12$");
    assertThat(TenantUser.isSupportedHash(hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret".toCharArray(), hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret!".toCharArray(), hash)).isFalse();
  }

  @Test
  void argon2idHashesVerifyTheirPasswordOnly() {
    String hash = PasswordHashes.argon2id("s3cret".toCharArray());
    assertThat(hash).startsWith("$argon2id$v=19$m=65536,t=3,p=4$");
    assertThat(TenantUser.isSupportedHash(hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret".toCharArray(), hash)).isTrue();
    assertThat(PasswordHashes.matches("S3cret".toCharArray(), hash)).isFalse();
  }

  @Test
  void unreadableHashesNeverMatch() {
    assertThat(PasswordHashes.matches("x".toCharArray(), "plain")).isFalse();
    assertThat(PasswordHashes.matches("x".toCharArray(), "$2b$12$short")).isFalse();
    // Argon2id strings that look right but cannot be read: bad base64, a number out of range.
    assertThat(
            PasswordHashes.matches(
                "x".toCharArray(), "$argon2id$v=19$m=65536,t=3,p=4$abcde$abcdefgh"))
        .isFalse();
    assertThat(
            PasswordHashes.matches(
                "x".toCharArray(), "$argon2id$v=19$m=99999999999,t=3,p=4$abcdefgh$abcdefgh"))
        .isFalse();
  }
}
