package dev.sluice.routing.select;

import java.util.Locale;
import java.util.Objects;

/**
 * What live state says of one member for one decision: eligible at some weight, or dropped and why.
 */
public sealed interface MemberVerdict {
  Eligible FULL = new Eligible(1.0);

  /**
   * The member may be chosen; its configured weight is scaled by {@code weightFactor} (health
   * degradation, recovery ramp, warmup share).
   *
   * @param weightFactor in (0, 1]
   */
  record Eligible(double weightFactor) implements MemberVerdict {
    public Eligible {
      if (!(weightFactor > 0 && weightFactor <= 1)) {
        throw new IllegalArgumentException("weightFactor must be in (0, 1]: " + weightFactor);
      }
    }
  }

  /** The member is left out of this decision. */
  record Ineligible(Reason reason, String detail) implements MemberVerdict {
    public Ineligible {
      Objects.requireNonNull(reason, "reason");
      detail = detail == null ? "" : detail;
    }
  }

  /** Why a member was left out; {@link #label()} is the word traces and reason codes use. */
  enum Reason {
    SUSPENDED,
    DOWN,
    QUOTA,
    WARMUP,
    TENANT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
