package dev.sluice.relay.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Makes and checks the password hashes of tenant users: bcrypt ({@code $2b$…}) and argon2id in its
 * PHC string form ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}). Thread-safe.
 */
public final class PasswordHashes {
  /** bcrypt cost of new hashes: about a quarter of a second on our 2-core machines. */
  public static final int BCRYPT_COST = 12;

  private static final Pattern ARGON2ID =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashes() {}

  /** A new bcrypt hash of {@code password}. */
  public static String bcrypt(char[] password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password, salt, BCRYPT_COST);
  }

  /** A new argon2id hash (RFC 9106's second recommended option: m=64 MiB, t=3, p=4). */
  public static String argon2id(char[] password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    int m = 65_536;
    int t = 3;
    int p = 4;
    byte[] hash = argon2(password, salt, m, t, p, 32);
    return "$argon2id$v=19$m="
        + m
        + ",t="
        + t
        + ",p="
        + p
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code hash}; false for a hash we cannot read. */
  public static boolean matches(char[] password, String hash) {
    if (hash.startsWith("$2")) {
      try {
        return OpenBSDBCrypt.checkPassword(hash, password);
      } catch (IllegalArgumentException | DataLengthException e) {
        return false; // a malformed hash string: nothing can match it
      }
    }
    Matcher m = ARGON2ID.matcher(hash);
    if (!m.matches()) {
      return false;
    }
    try {
      byte[] expected = B64D.decode(m.group(5));
      byte[] actual =
          argon2(
              password,
              B64D.decode(m.group(4)),
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException e) {
      return false; // bad base64, a number out of range, parameters Argon2 refuses
    }
  }

  private static byte[] argon2(
      char[] password, byte[] salt, int memoryKb, int iterations, int parallelism, int length) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKb)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(new String(password).getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
