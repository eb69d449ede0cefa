package dev.sluice.relay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.relay.config.LoggingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordHandlerTest {
  @TempDir Path dir;

  @Test
  void theDaemonsOwnRecordsBecomeJsonLinesOfTypeLog() throws Exception {
    Path file = dir.resolve("sluice.log");
    LineWriter writer = new LineWriter(new RotatingFile(file, 1 << 20, 1));
    RecordHandler handler = new RecordHandler(LoggingConfig.Format.JSON, writer);
    LogRecord record = new LogRecord(Level.WARNING, "listener {0} on {1}");
    record.setParameters(new Object[] {"relay", "127.0.0.1:2525"});
    record.setLoggerName("dev.sluice.relay.server.SluiceServer");
    handler.publish(record);
    writer.close(); // drains the queue

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get("type").asText()).isEqualTo("log");
    assertThat(line.get("level").asText()).isEqualTo("WARNING");
    assertThat(line.get("logger").asText()).isEqualTo("dev.sluice.relay.server.SluiceServer");
    assertThat(line.get("message").asText()).isEqualTo("listener relay on 127.0.0.1:2525");
    assertThat(line.get("at").asText()).isNotEmpty();
  }
}
