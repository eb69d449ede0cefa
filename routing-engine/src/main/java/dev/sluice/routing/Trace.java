package dev.sluice.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The explanation a decision carries: each step the router took, in order. The same lines are
 * printed by {@code sluice route} and carried by the attempt log. The text of a step is written the
 * first time someone reads it, not while the decision is taken: most decisions are never explained,
 * and those that are pay for it then. Thread-safe once built.
 */
public final class Trace {
  private final List<String> kinds;
  private final List<String> subjects;
  private final List<Supplier<String>> outcomes;
  private volatile List<Step> steps;

  private Trace(List<String> kinds, List<String> subjects, List<Supplier<String>> outcomes) {
    this.kinds = kinds;
    this.subjects = subjects;
    this.outcomes = outcomes;
  }

  /**
   * One step.
   *
   * @param kind what was looked at: tenant, header, rule, steer, pool, member, decision
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

  /** The steps, in the order they were taken. */
  public List<Step> steps() {
    List<Step> s = steps;
    if (s == null) {
      List<Step> built = new ArrayList<>(kinds.size());
      for (int i = 0; i < kinds.size(); i++) {
        built.add(new Step(kinds.get(i), subjects.get(i), outcomes.get(i).get()));
      }
      s = List.copyOf(built);
      steps = s;
    }
    return s;
  }

  /** The trace as aligned text lines: {@code rule password-resets matched: message_type …}. */
  public List<String> lines() {
    int width = 0;
    for (Step s : steps()) {
      width = Math.max(width, s.subject().length());
    }
    List<String> out = new ArrayList<>();
    for (Step s : steps()) {
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

  @Override
  public String toString() {
    return String.join("\n", lines());
  }

  /** Collects steps while a decision is being taken; not thread-safe, one per decision. */
  static final class Builder {
    private final List<String> kinds = new ArrayList<>(8);
    private final List<String> subjects = new ArrayList<>(8);
    private final List<Supplier<String>> outcomes = new ArrayList<>(8);

    Builder add(String kind, String subject, String outcome) {
      return add(kind, subject, () -> outcome);
    }

    /** A step whose text is written only if the trace is read. */
    Builder add(String kind, String subject, Supplier<String> outcome) {
      kinds.add(kind);
      subjects.add(subject);
      outcomes.add(outcome);
      return this;
    }

    /** The trace; the builder must not be used afterwards (its lists become the trace's). */
    Trace build() {
      return new Trace(kinds, subjects, outcomes);
    }
  }
}
