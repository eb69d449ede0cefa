package dev.sluice.routing.select;

import dev.sluice.routing.config.MemberConfig;
import java.util.List;
import java.util.Optional;

/**
 * What member selection in one pool found.
 *
 * @param chosen the member picked, if any was eligible
 * @param how how it was picked, for the trace
 * @param dropped every member left out, with why
 */
public record Selection(Optional<MemberConfig> chosen, String how, List<Dropped> dropped) {
  public Selection {
    chosen = chosen == null ? Optional.empty() : chosen;
    how = how == null ? "" : how;
    dropped = List.copyOf(dropped);
  }

  /** A member left out of the choice. */
  public record Dropped(MemberConfig member, MemberVerdict.Ineligible verdict) {}
}
