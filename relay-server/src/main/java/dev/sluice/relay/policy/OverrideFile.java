package dev.sluice.relay.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.relay.admin.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The member overrides kept across restarts, as {@code overrides.json} in the state directory
 * (beside the spool). Written whole to a temporary file, forced to disk, then renamed over the old
 * one, and the directory forced too: a crash leaves the old file or the new one, never half of one,
 * and once {@link #save} returns, the new one.
 */
public final class OverrideFile {
  private final Path file;

  public OverrideFile(Path file) {
    this.file = file;
  }

  /** {@code overrides.json} beside the spool directory, where {@code suppression.tsv} lives. */
  public static OverrideFile besideSpool(Path spoolDir) {
    return new OverrideFile(spoolDir.toAbsolutePath().resolveSibling("overrides.json"));
  }

  public Path path() {
    return file;
  }

  /** The overrides written last; none when the file does not exist yet. */
  public Overrides load() throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Overrides.NONE;
    }
    try {
      List<MemberOverride> all = new ArrayList<>();
      for (JsonNode o : Json.MAPPER.readTree(text).path("overrides")) {
        all.add(read(o));
      }
      return Overrides.of(all);
    } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(
          file + ": not a valid overrides file (" + e.getMessage() + "); fix or remove it", e);
    }
  }

  /** Replaces the file with {@code overrides}, durably. */
  public void save(Overrides overrides) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("overrides");
    for (MemberOverride o : overrides.all()) {
      ObjectNode n = list.addObject();
      n.put("member", o.member());
      if (o.weight().isPresent()) {
        n.put("weight", o.weight().getAsInt());
      } else {
        n.putNull("weight");
      }
      n.put("suspended", o.suspended());
      n.put("since", o.suspendedSince().map(Instant::toString).orElse(null));
      n.put("reason", o.reason());
      n.put("by", o.by());
      n.put("at", o.at().toString());
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(Json.bytes(root));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // The rename is durable only once the directory is: without this, a power cut may bring back
    // the old file after the API answered that the override was kept.
    try (FileChannel dir =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static MemberOverride read(JsonNode o) {
    String member = o.path("member").asText("");
    if (member.isEmpty()) {
      throw new IllegalArgumentException("an override without a member");
    }
    JsonNode weight = o.path("weight");
    JsonNode since = o.path("since");
    return new MemberOverride(
        member,
        weight.isInt() ? OptionalInt.of(weight.asInt()) : OptionalInt.empty(),
        since.isTextual() ? Optional.of(Instant.parse(since.asText())) : Optional.empty(),
        o.path("reason").asText(""),
        o.path("by").asText(MemberOverride.OPERATOR),
        Instant.parse(o.path("at").asText()));
  }
}
