package dev.sluice.relay.queue;

import dev.sluice.relay.spool.SpoolEntry;
import java.util.List;

/**
 * The final outcomes of one round of attempts on a message, handed to the {@link Reporter} before
 * the spool forgets them.
 *
 * @param delivered recipients the next hop took
 * @param bounced recipients that bounced or expired
 */
public record JobReport(SpoolEntry entry, List<RecipientOutcome> delivered, List<Bounce> bounced) {
  public JobReport {
    delivered = List.copyOf(delivered);
    bounced = List.copyOf(bounced);
  }
}
