package dev.sluice.routing.select;

import dev.sluice.routing.config.MemberConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What member selection in one pool found.
 *
 * @param chosen the member picked, if any was eligible
 * @param weight the chosen member's effective weight
 * @param totalWeight the effective weight of every eligible member
 * @param method how it was picked ("smooth weighted round-robin", "sticky on …")
 * @param dropped every member left out, with why
 */
public record Selection(
    Optional<MemberConfig> chosen,
    double weight,
    double totalWeight,
    String method,
    List<Dropped> dropped) {
  public Selection {
    chosen = chosen == null ? Optional.empty() : chosen;
    method = method == null ? "" : method;
    dropped = List.copyOf(dropped);
  }

  /** How the member was picked, for the trace: {@code weight 90 of 100 eligible, smooth …}. */
  public String how() {
    return "weight " + number(weight) + " of " + number(totalWeight) + " eligible, " + method;
  }

  /** 90 or 12.5: weights print as operators wrote them, fractions only when scaled. */
  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  /** A member left out of the choice. */
  public record Dropped(MemberConfig member, MemberVerdict.Ineligible verdict) {}
}
