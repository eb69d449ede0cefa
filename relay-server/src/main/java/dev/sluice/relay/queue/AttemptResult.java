package dev.sluice.relay.queue;

import java.util.List;
import java.util.Optional;

/**
 * What an {@link Attempt} came to: one outcome per recipient, and whether the path itself failed
 * (every host refused, timed out, failed TLS or AUTH, or answered 421), which takes the member out
 * of selection for a while.
 *
 * @param pathFailure why the path failed, or empty when it worked (whatever the recipients got)
 */
public record AttemptResult(List<RecipientOutcome> outcomes, Optional<String> pathFailure) {
  public AttemptResult {
    outcomes = List.copyOf(outcomes);
    pathFailure = pathFailure == null ? Optional.empty() : pathFailure;
  }
}
