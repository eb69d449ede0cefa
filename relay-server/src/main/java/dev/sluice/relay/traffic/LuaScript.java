package dev.sluice.relay.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One of the Lua scripts of {@link RedisTrafficStore}, read from this package's resources, with the
 * SHA-1 that {@code EVALSHA} names it by.
 */
record LuaScript(String name, String text, String sha1) {
  static LuaScript load(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("the Lua script " + name + ".lua is not on the class path");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, text, HexFormat.of().formatHex(digest));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the Lua script " + name + ".lua", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
