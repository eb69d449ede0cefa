package dev.sluice.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The explanation a decision carries: each step the router took, in order. The same lines are
 * printed by {@code sluice route} and carried by the attempt log. Immutable.
 */
public record Trace(List<Step> steps) {
  public Trace {
    steps = List.copyOf(steps);
  }

  /**
   * One step.
   *
   * @param kind what was looked at: tenant, rule, steer, pool, member, decision
   * @param subject its name ({@code transactional}, {@code postmark}…)
   * @param outcome what happened to it and why
   */
  public record Step(String kind, String subject, String outcome) {
    public Step {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /** The trace as aligned text lines: {@code rule password-resets matched: message_type …}. */
  public List<String> lines() {
    int width = 0;
    for (Step s : steps) {
      width = Math.max(width, s.subject().length());
    }
    List<String> out = new ArrayList<>();
    for (Step s : steps) {
      String indent = s.kind().equals("member") ? "  " : "";
      out.add(
          String.format(
              Locale.ROOT,
              "%-10s%-" + (width + 2) + "s%s",
              indent + s.kind(),
              s.subject(),
              s.outcome()));
    }
    return out;
  }

  /** Collects steps while a decision is being taken; not thread-safe, one per decision. */
  static final class Builder {
    private final List<Step> steps = new ArrayList<>();

    Builder add(String kind, String subject, String outcome) {
      steps.add(new Step(kind, subject, outcome));
      return this;
    }

    Trace build() {
      return new Trace(steps);
    }
  }
}
